#pragma once
// "Masked content" of A1111 inpainting (`inpainting_fill`): what the repainted area starts from.
//
// Image side (here): Fill replaces the masked area of the init image by `fillMaskedArea` before
// the VAE encode. Latent side (the pipeline), with m = latentMask(...) of InpaintMask.h:
//   Original:      the init latent as encoded;
//   LatentNoise:   init_latent * (1 - m) + noise * m  (noise from the image seeds);
//   LatentNothing: init_latent * (1 - m).
// Fill and Original encode the picture unchanged apart from the fill.
#include <optional>
#include <string>

#include <ATen/ATen.h>

#include "imaging/RgbImage.h"

namespace celerity {

// A1111's indices.
enum class InpaintFill {
  Fill = 0,
  Original = 1,
  LatentNoise = 2,
  LatentNothing = 3,
};

// "fill", "original", "latent noise", "latent nothing" (UI labels and infotext values).
const char* inpaintFillName(InpaintFill fill);
std::optional<InpaintFill> inpaintFillFromName(const std::string& name);

// `masking.fill(image, mask)`: the masked area (mask > 0, [1,1,H,W] at the image's size) is
// painted with ever less blurred copies of the unmasked colours (PIL Gaussian blurs of radius
// 256, 64, 16, 4, 2, 0 composited 1, 1, 2, 4, 2, 1 times), byte for byte as PIL computes it.
// Where the whole picture is masked the result is black, as in A1111.
RgbImage fillMaskedArea(const RgbImage& image, const at::Tensor& mask);

}  // namespace celerity
