#pragma once
// The noise-schedule buffers that the reference training code saves into single-file
// checkpoints: they hold no learned values, and loaders ignore them, but real files carry
// them. Both follow from the scaled-linear betas every SD 1.x / SDXL model uses.
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

namespace celerity {

struct BetaSchedule {
  int steps = 1000;
  double linearStart = 0.00085;
  double linearEnd = 0.012;
};

// ldm `DDPM.register_schedule` (v_posterior 0): the 12 persistent top-level buffers in ldm's
// order (`betas`, `alphas_cumprod`, …, `posterior_mean_coef2`), float64 values that ldm
// stores as float32.
std::vector<std::pair<std::string, at::Tensor>> ldmScheduleBuffers(const BetaSchedule& schedule = {});

// sgm `DiscreteDenoiser.sigmas` (LegacyDDPMDiscretization, flipped to ascending order:
// index = timestep), float32 as sgm computes it.
at::Tensor sgmDenoiserSigmas(const BetaSchedule& schedule = {});

}  // namespace celerity
