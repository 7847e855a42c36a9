#pragma once
// Between latents and pixels: the `vae.encode` and `vae.decode` stages.
#include <ATen/ATen.h>

#include "pipeline/LoadedModel.h"
#include "pipeline/StageObserver.h"

namespace celerity {

// Decodes latents [B, C, h, w] (sampler space, i.e. scaled) to the raw decoder output
// (nominally [-1, 1], not clamped) [B, 3, 8h, 8w] on the CPU, float32. Records
// "decode_input" (latent / scale factor), "image" and "image_01" (clamp((image + 1)/2, 0, 1)).
at::Tensor decodeLatents(LoadedModel& model, const at::Tensor& latent, const JobControl& control);

// Encodes images in [-1, 1] [B, 3, H, W] to sampler-space latents: the encoder's mean times
// the scale factor. Records "init_latent".
at::Tensor encodeImages(LoadedModel& model, const at::Tensor& image, const JobControl& control);

}  // namespace celerity
