#pragma once
// Cheap pictures of a latent for live previews: the latent→RGB linear projection (ComfyUI's
// `latent_rgb_factors`, applied to the sampler's latent as it is, i.e. model-scaled), and the
// conversion of a decoded image to the 8-bit bytes a PreviewEvent carries.
//
// Bytes follow A1111's `single_sample_to_image`: x·0.5 + 0.5, clamped to [0, 1], ×255, cast to
// uint8 (a truncating cast, not rounding). NaN maps to 0.
#include <cstdint>
#include <vector>

#include <ATen/ATen.h>

#include "celerity/CheckpointInfo.h"
#include "celerity/Events.h"

namespace celerity {

// An 8-bit RGB picture, interleaved R, G, B, row after row (top first): 3·width·height bytes.
struct RgbPreview {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;
  PreviewMethod method = PreviewMethod::Invalid;  // what made it
};

// The latent → RGB projection of the first image of `latent` ([B, 4, h, w] or [4, h, w], any
// float dtype, any device) at latent resolution (the view scales it). One 3×4 matmul on the
// latent's device and one h·w·3-byte copy to the CPU. SD 1.x has no bias; SDXL has one.
// Throws CelerityError(InvalidArgument) for another shape or a family without factors.
RgbPreview projectLatentToRgb(const at::Tensor& latent, ModelFamily family);

// The first image of a decoded picture ([B, 3, H, W] or [3, H, W]) in [-1, 1] (the VAE's
// output) or in [0, 1] (TAESD's), as bytes. The conversion runs on the image's device.
RgbPreview signedImageToRgb(const at::Tensor& image);
RgbPreview unitImageToRgb(const at::Tensor& image);

// The factors as a [4, 3] float tensor (rows: latent channels; columns: R, G, B) and the
// [3] bias (zeros for SD 1.x), on the CPU.
at::Tensor latentRgbFactors(ModelFamily family);
at::Tensor latentRgbBias(ModelFamily family);

}  // namespace celerity
