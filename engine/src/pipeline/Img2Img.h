#pragma once
// img2img and inpainting as A1111's k-diffusion path runs them:
// - steps (sd_samplers_common.setup_img2img_steps, KDiffusionSampler.sample_img2img): of a
//   full schedule of `steps` steps only the last t_enc + 1 run, t_enc = int(min(strength,
//   0.999) · steps), from init latent + noise · σ_start. Hires fix uses the "fixed steps"
//   variant: the schedule is stretched to int(steps / strength) so that exactly `steps` run.
// - the init image (and mask) are loaded, fitted to the generation size and encoded in the
//   `image.load` and `vae.encode` stages; with a mask, the imaging library prepares the
//   blurred mask, the crop ("only masked") and the masked content, the sampler keeps the
//   unmasked latent (denoised = init·(1 − m) + denoised·m after every model call), and the
//   decoded result is pasted back into the original (`inpaint.paste`).
#include <optional>
#include <string>

#include <ATen/ATen.h>

#include "celerity/Request.h"
#include "imaging/InpaintPreparation.h"
#include "pipeline/LoadedModel.h"
#include "pipeline/SamplingPlan.h"

namespace celerity {

// The sigmas an img2img pass walks (at least two values; empty when strength is 0, which
// leaves the init latent as it is).
Sigmas img2imgSigmas(const SamplingPlan& plan, const DiscreteSchedule& table, int steps, double strength,
                     bool fixedSteps);

struct PreparedInit {
  at::Tensor latent;      // [1, C, h, w] in sampler space
  at::Tensor latentMask;  // [1, 1, h, w], 1 = repaint; undefined without a mask
  std::optional<PreparedInpaint> inpaint;  // image side of inpainting, for the paste back
  MaskedContent maskedContent = MaskedContent::Original;
};

// Loads, fits and encodes the request's init image (and mask). Records "init_latent" and
// "latent_mask".
PreparedInit prepareInit(LoadedModel& model, const Request& request, const JobControl& control);

// The latent a pass starts from, for `noise` [B, …] of the batch's seeds: init + noise · σ₀,
// after the masked content (latent noise / latent nothing) is applied to the init.
// `init` receives the batch's init latent the sampler keeps outside the mask.
at::Tensor startLatent(const PreparedInit& prepared, const at::Tensor& noise, double sigma, at::Tensor& init);

// The decoded images pasted into the originals (no-op without a mask).
std::vector<RgbImage> finishImages(const PreparedInit& prepared, std::vector<RgbImage> images,
                                   const JobControl& control);

// An image file as 8-bit RGB (PNG always; other formats where OpenCV is built in).
RgbImage loadInitImage(const std::string& path);
// A mask file as [1, 1, H, W] in [0, 1] (alpha when present, else luminance).
at::Tensor loadMaskFile(const std::string& path);

}  // namespace celerity
