#include "sampling/SamplerSupport.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <ATen/ATen.h>

#include "celerity/Error.h"

namespace celerity::sampling {

int stepCount(const Sigmas& sigmas, const char* sampler) {
  if (sigmas.empty()) {
    throw CelerityError(ErrorCode::InvalidArgument, "no sigmas to sample", sampler);
  }
  for (double s : sigmas) {
    if (!std::isfinite(s) || s < 0) {
      throw CelerityError(ErrorCode::InvalidArgument,
                          "sigmas must be finite and non-negative, got " + std::to_string(s),
                          sampler);
    }
  }
  return static_cast<int>(sigmas.size()) - 1;
}

at::Tensor denoise(const Denoiser& model, const at::Tensor& x, double sigma, const StepSink& sink) {
  sink.throwIfCancelled();
  const auto sigmaPerItem =
      at::full({x.size(0)}, sigma, at::TensorOptions().dtype(at::kFloat).device(x.device()));
  return model(x, sigmaPerItem);
}

at::Tensor toD(const at::Tensor& x, const at::Tensor& denoised, double sigma) {
  return (x - denoised) / sigma;
}

AncestralStep ancestralStep(double sigmaFrom, double sigmaTo, double eta) {
  if (eta == 0.0) return {sigmaTo, 0.0};
  const double variance =
      sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo) / (sigmaFrom * sigmaFrom);
  const double up = std::min(sigmaTo, eta * std::sqrt(std::max(variance, 0.0)));
  const double down = std::sqrt(std::max(sigmaTo * sigmaTo - up * up, 0.0));
  return {down, up};
}

NoiseDraw::NoiseDraw(const SamplerOptions& options, const at::Tensor& like)
    : source_(options.noise), like_(like), seed_(options.seed) {}

at::Tensor NoiseDraw::operator()(double sigma, double sigmaNext) {
  if (!source_) source_ = seededNoise(like_, seed_);
  auto noise = source_(sigma, sigmaNext);
  if (!noise.defined() || noise.sizes() != like_.sizes()) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "the noise source returned a tensor not shaped like x", "NoiseSource");
  }
  return noise.to(like_.options());
}

double applyChurn(at::Tensor& x, const Sigmas& sigmas, int i, const SamplerOptions& options,
                  NoiseDraw& noise) {
  const double sigma = sigmas[i];
  if (!(options.sChurn > 0) || sigma < options.sTmin || sigma > options.sTmax) return sigma;
  const double steps = static_cast<double>(sigmas.size() - 1);
  const double gamma = std::min(options.sChurn / steps, std::sqrt(2.0) - 1.0);
  const double sigmaHat = sigma * (gamma + 1.0);
  if (gamma > 0) {
    x = x + noise(sigma, sigmaHat) * (options.sNoise * std::sqrt(sigmaHat * sigmaHat - sigma * sigma));
  }
  return sigmaHat;
}

}  // namespace celerity::sampling
