#pragma once
// A1111 img2img resize modes (`modules/images.py` `resize_image`) and the Lanczos upscaler.
//
// Pictures are resized with PIL LANCZOS, bit-exact (see Resample.h); the edge strips of
// "Resize and fill" with PIL's default BICUBIC, as A1111's code gets them. A1111's optional
// "upscaler for img2img" setting (an ESRGAN etc. before the Lanczos step) is not applied here.
#include <optional>
#include <string>

#include <ATen/ATen.h>

#include "imaging/RgbImage.h"

namespace celerity {

// A1111's `resize_mode` indices.
enum class ResizeMode {
  JustResize = 0,     // stretch to the target size
  CropAndResize = 1,  // scale to cover the target, centre crop
  ResizeAndFill = 2,  // scale to fit inside, fill the borders by stretching the edge rows/cols
  LatentUpscale = 3,  // "Just resize (latent upscale)": the image keeps its size, the encoded
                      // latent is resized (LatentUpscale.h `resizeInitLatent`)
};

// The UI labels: "Just resize", "Crop and resize", "Resize and fill",
// "Just resize (latent upscale)".
const char* resizeModeName(ResizeMode mode);
std::optional<ResizeMode> resizeModeFromName(const std::string& name);

// `images.resize_image(mode, image, width, height)`. Like A1111, mode 3 here takes the
// "Resize and fill" branch (that is what A1111 does to masks in mode 3); use
// `resizeInitImage` for the init image.
RgbImage resizeImage(ResizeMode mode, const RgbImage& image, int width, int height);

// The same for a mask [N,1,H,W] in [0,1] (A1111 resizes its 8-bit 'L' mask; the result stays on
// the 1/255 grid). Borders that A1111 leaves black stay 0.
at::Tensor resizeMask(ResizeMode mode, const at::Tensor& mask, int width, int height);

// Resizing of a [N,C,H,W] pixel tensor (bytes 0..255 as floats), the common implementation.
at::Tensor resizePixels(ResizeMode mode, const at::Tensor& pixels, int width, int height);

// What img2img does to its init image: `resize_image` unless the mode is LatentUpscale, where
// the image is encoded at its own size (`if crop_region is None and self.resize_mode != 3`).
RgbImage resizeInitImage(ResizeMode mode, const RgbImage& image, int width, int height);

// A1111's "Lanczos" upscaler by a factor: `img.resize((int(w * scale), int(h * scale)), LANCZOS)`.
RgbImage upscaleImage(const RgbImage& image, double scale);

// Hires fix with the "Lanczos" upscaler: `resize_image(0, image, width, height,
// upscaler_name="Lanczos")`, i.e. the upscaler's steps (scale, then a Lanczos resize to a
// multiple of 8) when the target is larger, then a final Lanczos resize to width x height.
RgbImage upscaleImageTo(const RgbImage& image, int width, int height);

}  // namespace celerity
