#pragma once
// Pieces the samplers share: the guarded model call, the ODE derivative, the ancestral split
// of a step and lazily created default noise. Internal to the sampling library.
#include <optional>

#include <ATen/core/Tensor.h>

#include "sampling/Denoiser.h"
#include "sampling/SamplerOptions.h"
#include "sampling/StepSink.h"

namespace celerity::sampling {

// Number of steps in `sigmas` (size − 1); throws InvalidArgument when it is empty or holds a
// negative or non-finite value.
int stepCount(const Sigmas& sigmas, const char* sampler);

// D(x, sigma) with sigma broadcast to [B] (float32, x's device), after a cancel check.
at::Tensor denoise(const Denoiser& model, const at::Tensor& x, double sigma, const StepSink& sink);

// The Karras ODE derivative (x − D) / sigma.
at::Tensor toD(const at::Tensor& x, const at::Tensor& denoised, double sigma);

// Splits a step sigmaFrom → sigmaTo into a deterministic part down to `down` and fresh
// noise of standard deviation `up` (k-diffusion get_ancestral_step).
struct AncestralStep {
  double down = 0;
  double up = 0;
};
AncestralStep ancestralStep(double sigmaFrom, double sigmaTo, double eta);

// options.noise, or seededNoise(x, options.seed) created on first use.
class NoiseDraw {
 public:
  NoiseDraw(const SamplerOptions& options, const at::Tensor& like);
  at::Tensor operator()(double sigma, double sigmaNext);

 private:
  NoiseSource source_;
  at::Tensor like_;
  std::uint64_t seed_ = 0;
};

// Karras "churn" (s_churn > 0): raises sigma_i to sigma_hat by adding noise to x. Returns
// sigma_hat (sigma_i itself when churn is off or sigma_i lies outside [s_tmin, s_tmax]).
double applyChurn(at::Tensor& x, const Sigmas& sigmas, int i, const SamplerOptions& options,
                  NoiseDraw& noise);

}  // namespace celerity::sampling
