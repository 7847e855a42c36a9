#include "sampling/DiscreteSchedule.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <ATen/ATen.h>

#include "celerity/Error.h"

namespace celerity {

namespace {

at::Tensor checkedTable(const at::Tensor& sigmas) {
  if (!sigmas.defined() || sigmas.dim() != 1 || sigmas.size(0) < 2) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "a sigma table needs at least two values in one dimension",
                        "DiscreteSchedule");
  }
  auto table = sigmas.detach().to(at::kCPU, at::kFloat).contiguous();
  const bool positive = (table > 0).all().item<bool>();
  const bool ascending = (table.slice(0, 1) >= table.slice(0, 0, -1)).all().item<bool>();
  if (!positive || !ascending || !at::isfinite(table).all().item<bool>()) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "sigma table must be finite, positive and ascending", "DiscreteSchedule");
  }
  return table;
}

}  // namespace

DiscreteSchedule DiscreteSchedule::scaledLinear(SigmaTableFlavor flavor, int trainingSteps,
                                                double linearStart, double linearEnd) {
  if (trainingSteps < 2 || !(linearStart > 0) || !(linearEnd < 1) || linearStart > linearEnd) {
    throw CelerityError(ErrorCode::InvalidArgument, "invalid beta schedule parameters",
                        "DiscreteSchedule::scaledLinear");
  }
  const auto f64 = at::TensorOptions().dtype(at::kDouble);
  const auto betas =
      at::linspace(std::sqrt(linearStart), std::sqrt(linearEnd), trainingSteps, f64).pow(2);
  const auto alphasCumprod = at::cumprod(1.0 - betas, 0);
  switch (flavor) {
    case SigmaTableFlavor::ComfyUI: {
      const auto sigmas = ((1.0 - alphasCumprod) / alphasCumprod).pow(0.5);
      return DiscreteSchedule(sigmas.to(at::kFloat), sigmas.log().to(at::kFloat));
    }
    case SigmaTableFlavor::CompVis: {
      // LDM registers ᾱ as a float32 buffer; k-diffusion derives everything from that.
      const auto ac = alphasCumprod.to(at::kFloat);
      const auto sigmas = ((1.0 - ac) / ac).pow(0.5);
      return DiscreteSchedule(sigmas, sigmas.log());
    }
    case SigmaTableFlavor::Sgm: {
      const auto sigmas = ((1.0 - alphasCumprod) / alphasCumprod).to(at::kFloat).pow(0.5);
      return DiscreteSchedule(sigmas, sigmas.log());
    }
  }
  throw CelerityError(ErrorCode::InvalidArgument, "unknown sigma table flavour",
                      "DiscreteSchedule::scaledLinear");
}

DiscreteSchedule::DiscreteSchedule(const at::Tensor& sigmas) : sigmas_(checkedTable(sigmas)) {
  logSigmas_ = sigmas_.log();
  sigmaMin_ = sigmas_[0].item<double>();
  sigmaMax_ = sigmas_[-1].item<double>();
}

DiscreteSchedule::DiscreteSchedule(at::Tensor sigmas, at::Tensor logSigmas)
    : sigmas_(std::move(sigmas).contiguous()), logSigmas_(std::move(logSigmas).contiguous()) {
  sigmaMin_ = sigmas_[0].item<double>();
  sigmaMax_ = sigmas_[-1].item<double>();
}

double DiscreteSchedule::sigmaOf(std::int64_t timestep) const {
  if (timestep < 0 || timestep >= size()) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "timestep " + std::to_string(timestep) + " outside the table of " +
                            std::to_string(size()),
                        "DiscreteSchedule");
  }
  return sigmas_[timestep].item<double>();
}

at::Tensor DiscreteSchedule::sigmaAt(const at::Tensor& timesteps) const {
  const auto t = timesteps.to(at::kCPU, at::kFloat).clamp(0, static_cast<double>(size() - 1));
  const auto low = t.floor().to(at::kLong);
  const auto high = t.ceil().to(at::kLong);
  const auto w = t.frac();
  const auto logSigma = (1.0 - w) * logSigmas_.index_select(0, low.flatten()).view(t.sizes()) +
                        w * logSigmas_.index_select(0, high.flatten()).view(t.sizes());
  return logSigma.exp();
}

double DiscreteSchedule::sigmaAt(double timestep) const {
  return sigmaAt(at::full({1}, timestep, at::TensorOptions().dtype(at::kFloat)))[0].item<double>();
}

double DiscreteSchedule::timestepOf(double sigma) const {
  const double logSigma = std::log(sigma);
  const auto* logs = logSigmas_.data_ptr<float>();
  const std::int64_t n = size();
  // The last entry at or below log sigma, kept one short of the end so that high exists.
  std::int64_t low = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    if (logSigma - logs[i] >= 0) low = i;
  }
  low = std::min(low, n - 2);
  const double lo = logs[low];
  const double hi = logs[low + 1];
  const double w = std::clamp((lo - logSigma) / (lo - hi), 0.0, 1.0);
  return (1.0 - w) * static_cast<double>(low) + w * static_cast<double>(low + 1);
}

std::int64_t DiscreteSchedule::nearestTimestep(double sigma) const {
  const float logSigma = static_cast<float>(std::log(sigma));
  const auto* logs = logSigmas_.data_ptr<float>();
  std::int64_t best = 0;
  float bestDistance = std::numeric_limits<float>::infinity();
  for (std::int64_t i = 0; i < size(); ++i) {
    const float distance = std::fabs(logSigma - logs[i]);
    if (distance < bestDistance) {  // first minimum, as argmin
      bestDistance = distance;
      best = i;
    }
  }
  return best;
}

}  // namespace celerity
