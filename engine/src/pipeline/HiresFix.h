#pragma once
// A1111's txt2img "Hires. fix" with a latent upscaler: the first pass's latent is resized by
// `scale` (imaging's upscaleLatent, mode by upscaler name), then sampled again as img2img with
// the hires denoising strength and exactly `steps` steps (fixed-steps schedule), from fresh
// noise of the same seeds (A1111 makes a new ImageRNG for the second pass).

namespace celerity {

// The size the second pass renders at (A1111 hr_upscale_to_x/y: int(side · scale)), floored
// to a multiple of 8 so that the latent is whole.
int hiresSide(int side, double scale);

}  // namespace celerity
