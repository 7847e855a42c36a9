#pragma once
// The noise levels of a discrete-time (DDPM) model: sigma_t = sqrt((1 − ᾱ_t) / ᾱ_t) for
// t = 0 … T−1, and the maps between sigma and (fractional) timestep t that schedules and
// model wrappers need. SD 1.x and SDXL use the "scaled linear" betas
// linspace(sqrt(0.00085), sqrt(0.012), 1000)², float64.
#include <cstdint>

#include <ATen/core/Tensor.h>

namespace celerity {

// How the reference implementations round the same table; they differ by at most ~1e-6.
enum class SigmaTableFlavor {
  ComfyUI,  // ModelSamplingDiscrete: sigmas and log-sigmas computed in float64, stored float32
  CompVis,  // A1111 / k-diffusion CompVisDenoiser: float32 ᾱ, sigmas and logs in float32
  Sgm,      // Stability sgm DiscreteDenoiser: (1 − ᾱ)/ᾱ in float64, square root in float32
};

class DiscreteSchedule {
 public:
  static constexpr int kTrainingSteps = 1000;
  static constexpr double kLinearStart = 0.00085;
  static constexpr double kLinearEnd = 0.012;

  // The SD 1.x / SDXL table in the given flavour.
  static DiscreteSchedule scaledLinear(SigmaTableFlavor flavor = SigmaTableFlavor::ComfyUI,
                                       int trainingSteps = kTrainingSteps,
                                       double linearStart = kLinearStart,
                                       double linearEnd = kLinearEnd);
  // Any table of T ≥ 2 ascending, positive sigmas (indexed by timestep).
  explicit DiscreteSchedule(const at::Tensor& sigmas);

  const at::Tensor& sigmas() const { return sigmas_; }         // float32 [T], ascending
  const at::Tensor& logSigmas() const { return logSigmas_; }   // float32 [T]
  std::int64_t size() const { return sigmas_.size(0); }
  double sigmaMin() const { return sigmaMin_; }
  double sigmaMax() const { return sigmaMax_; }

  // The table entry of an integer timestep (0 ≤ t < T).
  double sigmaOf(std::int64_t timestep) const;
  // Log-linear interpolation at fractional timesteps (float32 [N] → float32 [N]), clamped to
  // [0, T−1]: k-diffusion's t_to_sigma, ComfyUI's ModelSamplingDiscrete.sigma.
  at::Tensor sigmaAt(const at::Tensor& timesteps) const;
  double sigmaAt(double timestep) const;
  // The continuous timestep of a sigma by log-sigma interpolation (k-diffusion sigma_to_t).
  double timestepOf(double sigma) const;
  // The nearest integer timestep in log sigma (ComfyUI ModelSamplingDiscrete.timestep).
  std::int64_t nearestTimestep(double sigma) const;

 private:
  DiscreteSchedule(at::Tensor sigmas, at::Tensor logSigmas);

  at::Tensor sigmas_;
  at::Tensor logSigmas_;
  double sigmaMin_ = 0;
  double sigmaMax_ = 0;
};

}  // namespace celerity
