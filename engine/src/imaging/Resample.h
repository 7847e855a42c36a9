#pragma once
// PIL's `Image.resize` with a convolution filter, reproduced on tensors (CPU or GPU).
//
// A1111 resizes every picture and mask with PIL (LANCZOS for img2img and the Lanczos upscaler,
// BICUBIC for the latent mask). PIL's resampler is separable (horizontal pass first, then
// vertical), widens the filter by the scale factor when it shrinks (antialiasing), normalises
// the taps of each output pixel, and for 8-bit data uses 22-bit fixed-point coefficients and
// rounds to bytes after each pass. `eightBit = true` does exactly that in integer arithmetic,
// so the bytes equal PIL's.
//
// Why not OpenCV's INTER_LANCZOS4: that is a fixed 8-tap kernel (a = 4 instead of PIL's 3)
// that is not widened when shrinking, so a downscale aliases and no output byte matches PIL.
// Using it would change A1111's img2img inputs; the tensor version is also device-agnostic.
#include <cstdint>
#include <optional>

#include <ATen/ATen.h>

#include "imaging/RgbImage.h"

namespace celerity {

enum class ResampleFilter {
  Bilinear,  // PIL BILINEAR (triangle, support 1)
  Bicubic,   // PIL BICUBIC (a = -0.5, support 2); PIL's default for Image.resize
  Lanczos,   // PIL LANCZOS (a = 3, support 3)
};

// PIL's `box`: the source rectangle, in (fractional) pixels, that is resized. It may be empty
// along an axis: A1111's "Resize and fill" resizes a 0-pixel-high strip to stretch an edge.
struct ResampleBox {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

// Resizes a [N,C,H,W] float tensor to [N,C,height,width]. With `eightBit` the values are taken
// as bytes 0..255 (rounded first) and the result holds bytes, as PIL computes them; without
// it the same filter runs in the tensor's floating-point type (for masks, latents, etc.).
at::Tensor resamplePixels(const at::Tensor& pixels, std::int64_t width, std::int64_t height,
                          ResampleFilter filter = ResampleFilter::Lanczos,
                          const std::optional<ResampleBox>& box = std::nullopt,
                          bool eightBit = true);

// PIL `image.resize((width, height), resample=filter)`.
RgbImage resampleImage(const RgbImage& image, int width, int height,
                       ResampleFilter filter = ResampleFilter::Lanczos);

}  // namespace celerity
