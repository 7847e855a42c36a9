#include "sampling/Schedules.h"

#include <cmath>
#include <string>

#include <ATen/ATen.h>

#include "celerity/Error.h"
#include "sampling/IncompleteBeta.h"

namespace celerity {

namespace {

const at::TensorOptions kFloat32 = at::TensorOptions().dtype(at::kFloat);

void checkSteps(int steps, const char* schedule) {
  if (steps < 1) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "a schedule needs at least one step, got " + std::to_string(steps),
                        schedule);
  }
}

void checkRange(double sigmaMin, double sigmaMax, const char* schedule) {
  if (!(sigmaMin > 0) || !(sigmaMax >= sigmaMin) || !std::isfinite(sigmaMax)) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "needs 0 < sigma_min <= sigma_max (got " + std::to_string(sigmaMin) +
                            ", " + std::to_string(sigmaMax) + ")",
                        schedule);
  }
}

// The values of a float32 tensor, then a final 0 (k-diffusion's append_zero).
Sigmas withZero(const at::Tensor& sigmas) {
  const auto values = sigmas.to(at::kFloat).contiguous();
  Sigmas out(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
  out.push_back(0.0);
  return out;
}

// Python floats turned into a FloatTensor: every value rounded to float32.
Sigmas roundedToFloat(const std::vector<double>& values) {
  Sigmas out;
  out.reserve(values.size());
  for (double v : values) out.push_back(static_cast<double>(static_cast<float>(v)));
  return out;
}

}  // namespace

Sigmas karrasSigmas(int steps, double sigmaMin, double sigmaMax, double rho) {
  checkSteps(steps, "karras");
  checkRange(sigmaMin, sigmaMax, "karras");
  const auto ramp = at::linspace(0, 1, steps, kFloat32);
  const double minInvRho = std::pow(sigmaMin, 1.0 / rho);
  const double maxInvRho = std::pow(sigmaMax, 1.0 / rho);
  return withZero((maxInvRho + ramp * (minInvRho - maxInvRho)).pow(rho));
}

Sigmas exponentialSigmas(int steps, double sigmaMin, double sigmaMax) {
  checkSteps(steps, "exponential");
  checkRange(sigmaMin, sigmaMax, "exponential");
  return withZero(at::linspace(std::log(sigmaMax), std::log(sigmaMin), steps, kFloat32).exp());
}

Sigmas polyexponentialSigmas(int steps, double sigmaMin, double sigmaMax, double rho) {
  checkSteps(steps, "polyexponential");
  checkRange(sigmaMin, sigmaMax, "polyexponential");
  const auto ramp = at::linspace(1, 0, steps, kFloat32).pow(rho);
  const double logMin = std::log(sigmaMin);
  return withZero((ramp * (std::log(sigmaMax) - logMin) + logMin).exp());
}

Sigmas klOptimalSigmas(int steps, double sigmaMin, double sigmaMax) {
  checkSteps(steps, "kl_optimal");
  checkRange(sigmaMin, sigmaMax, "kl_optimal");
  if (steps == 1) return {static_cast<double>(static_cast<float>(sigmaMax)), 0.0};
  const auto idx = at::arange(steps, kFloat32).div_(steps - 1);
  return withZero((idx * std::atan(sigmaMin) + (1.0 - idx) * std::atan(sigmaMax)).tan_());
}

Sigmas normalSigmas(const DiscreteSchedule& model, int steps) {
  checkSteps(steps, "normal");
  const auto start = model.nearestTimestep(model.sigmaMax());
  const auto end = model.nearestTimestep(model.sigmaMin());
  // A table that reaches sigma 0 (zero terminal SNR) ends on it instead of appending one.
  const bool endsAtZero = std::fabs(model.sigmaAt(static_cast<double>(end))) <= 1e-5;
  const auto timesteps = at::linspace(start, end, endsAtZero ? steps + 1 : steps, kFloat32);
  Sigmas out = withZero(model.sigmaAt(timesteps));
  if (endsAtZero) out.pop_back();
  return out;
}

Sigmas sgmUniformSigmas(const DiscreteSchedule& model, int steps) {
  checkSteps(steps, "sgm_uniform");
  const auto start = model.nearestTimestep(model.sigmaMax());
  const auto end = model.nearestTimestep(model.sigmaMin());
  const auto timesteps = at::linspace(start, end, steps + 1, kFloat32).slice(0, 0, steps);
  return withZero(model.sigmaAt(timesteps));
}

Sigmas simpleSigmas(const DiscreteSchedule& model, int steps) {
  checkSteps(steps, "simple");
  const std::int64_t n = model.size();
  const double stride = static_cast<double>(n) / steps;
  std::vector<double> values;
  for (int i = 0; i < steps; ++i) {
    const auto back = static_cast<std::int64_t>(i * stride);  // int() truncates
    values.push_back(model.sigmaOf(n - 1 - back));
  }
  values.push_back(0.0);
  return roundedToFloat(values);
}

Sigmas ddimUniformSigmas(const DiscreteSchedule& model, int steps) {
  checkSteps(steps, "ddim_uniform");
  const std::int64_t n = model.size();
  std::vector<double> values;
  std::int64_t t = 1;
  if (std::fabs(model.sigmaOf(t)) <= 1e-5) {
    ++steps;  // the table itself supplies the final zero
  } else {
    values.push_back(0.0);
  }
  const std::int64_t stride = std::max<std::int64_t>(n / steps, 1);
  for (; t < n; t += stride) values.push_back(model.sigmaOf(t));
  return roundedToFloat(Sigmas(values.rbegin(), values.rend()));
}

Sigmas betaSigmas(const DiscreteSchedule& model, int steps, double alpha, double beta) {
  checkSteps(steps, "beta");
  const auto last = static_cast<double>(model.size() - 1);
  std::vector<double> values;
  double previous = -1.0;
  for (int i = 0; i < steps; ++i) {
    // numpy: 1 − linspace(0, 1, steps, endpoint=False), then rint(ppf · (T − 1)).
    const double quantile = 1.0 - i * (1.0 / steps);
    const double t = std::nearbyint(inverseRegularizedIncompleteBeta(quantile, alpha, beta) * last);
    if (t != previous) values.push_back(model.sigmaOf(static_cast<std::int64_t>(t)));
    previous = t;
  }
  values.push_back(0.0);
  return roundedToFloat(values);
}

Sigmas linearQuadraticSigmas(const DiscreteSchedule& model, int steps, double thresholdNoise,
                             int linearSteps) {
  checkSteps(steps, "linear_quadratic");
  std::vector<float> schedule;
  if (steps == 1) {
    schedule = {1.0f, 0.0f};
  } else {
    if (linearSteps < 0) linearSteps = steps / 2;
    if (linearSteps < 1 || linearSteps >= steps) {
      throw CelerityError(ErrorCode::InvalidArgument,
                          "linear steps must lie in [1, steps)", "linear_quadratic");
    }
    std::vector<double> noise;
    for (int i = 0; i < linearSteps; ++i) noise.push_back(i * thresholdNoise / linearSteps);
    const double stepDiff = linearSteps - thresholdNoise * steps;
    const int quadraticSteps = steps - linearSteps;
    const double quadraticCoef =
        stepDiff / (linearSteps * static_cast<double>(quadraticSteps) * quadraticSteps);
    const double linearCoef = thresholdNoise / linearSteps -
                              2 * stepDiff / (static_cast<double>(quadraticSteps) * quadraticSteps);
    const double constant = quadraticCoef * (static_cast<double>(linearSteps) * linearSteps);
    for (int i = linearSteps; i < steps; ++i) {
      noise.push_back(quadraticCoef * (static_cast<double>(i) * i) + linearCoef * i + constant);
    }
    noise.push_back(1.0);
    for (double v : noise) schedule.push_back(static_cast<float>(1.0 - v));
  }
  const auto scaled = at::tensor(schedule, kFloat32) * static_cast<float>(model.sigmaMax());
  Sigmas out = withZero(scaled);
  out.pop_back();  // the schedule already ends in 0
  return out;
}

Sigmas legacyDdpmSigmas(const DiscreteSchedule& model, int steps) {
  checkSteps(steps, "legacy_ddpm");
  const std::int64_t n = model.size();
  if (steps > n) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "more steps than training timesteps (" + std::to_string(n) + ")",
                        "legacy_ddpm");
  }
  // numpy linspace(T−1, 0, steps, endpoint=False): start + i · step, truncated to int.
  const double step = -static_cast<double>(n - 1) / steps;
  Sigmas out;
  for (int i = 0; i < steps; ++i) {
    const auto t = static_cast<std::int64_t>(i * step + static_cast<double>(n - 1));
    out.push_back(model.sigmaOf(t));
  }
  out.push_back(0.0);
  return out;
}

}  // namespace celerity
