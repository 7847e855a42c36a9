#pragma once
// How a request samples: which sampler and schedule, in which implementation's rounding,
// how the UNet gets its timesteps and how the initial noise is scaled. Two conventions:
// - A1111 / k-diffusion (the default): CompVis sigma table, fractional timesteps,
//   x₀ = noise · σ₀;
// - Stability reference sampling (Request::sdxlReferenceSampling): sgm's table and
//   LegacyDDPM discretization, integer timesteps, x₀ = noise · √(1 + σ₀²).
#include <string>

#include "celerity/Request.h"
#include "pipeline/CfgDenoiser.h"
#include "pipeline/StageObserver.h"
#include "sampling/SamplerRegistry.h"

namespace celerity {

class BatchNoise;

struct SamplingPlan {
  const SamplerInfo* sampler = nullptr;
  std::string schedule;
  SigmaTableFlavor tableFlavor = SigmaTableFlavor::CompVis;
  TimestepMode timestepMode = TimestepMode::Interpolated;
  SamplerFlavor samplerFlavor = SamplerFlavor::KDiffusion;
  bool referenceNoiseScale = false;  // √(1 + σ₀²) instead of σ₀

  static SamplingPlan forRequest(const Request& request);

  // The sigmas of a full run of `steps` steps (steps + 1 values, ending in 0).
  Sigmas sigmas(const DiscreteSchedule& table, int steps) const;
  // What unit-variance noise is multiplied by to start at sigma.
  double noiseScale(double sigma) const;
};

// Runs the sampler from x (already at sigmas[0]) and returns the latent at sigmas.back().
// Reports every step to the observer (onStep; "latent.i" when recording, then
// "latent.{steps}"), stops with CelerityError(Cancelled) when the token is set, and draws
// stochastic samplers' noise from `noise`.
at::Tensor runSampler(const SamplingPlan& plan, CfgDenoiser& denoiser, at::Tensor x, const Sigmas& sigmas,
                      BatchNoise& noise, std::uint64_t seed, const JobControl& control);

at::Tensor sigmasTensor(const Sigmas& sigmas);

}  // namespace celerity
