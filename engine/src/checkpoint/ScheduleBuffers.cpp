#include "checkpoint/ScheduleBuffers.h"

#include <cmath>

#include <ATen/ATen.h>

namespace celerity {
namespace {

// ldm / sgm `make_beta_schedule("linear")`: linspace of the square roots, squared, in float64.
at::Tensor scaledLinearBetas(const BetaSchedule& schedule) {
  const auto options = at::TensorOptions().dtype(at::kDouble);
  return at::linspace(std::sqrt(schedule.linearStart), std::sqrt(schedule.linearEnd), schedule.steps, options)
      .pow(2);
}

}  // namespace

std::vector<std::pair<std::string, at::Tensor>> ldmScheduleBuffers(const BetaSchedule& schedule) {
  const auto betas = scaledLinearBetas(schedule);
  const auto alphas = 1.0 - betas;
  const auto alphasCumprod = at::cumprod(alphas, 0);
  const auto alphasCumprodPrev = at::cat({at::ones({1}, betas.options()), alphasCumprod.slice(0, 0, -1)});
  const auto posteriorVariance = betas * (1.0 - alphasCumprodPrev) / (1.0 - alphasCumprod);
  return {
      {"betas", betas},
      {"alphas_cumprod", alphasCumprod},
      {"alphas_cumprod_prev", alphasCumprodPrev},
      {"sqrt_alphas_cumprod", alphasCumprod.sqrt()},
      {"sqrt_one_minus_alphas_cumprod", (1.0 - alphasCumprod).sqrt()},
      {"log_one_minus_alphas_cumprod", (1.0 - alphasCumprod).log()},
      {"sqrt_recip_alphas_cumprod", alphasCumprod.reciprocal().sqrt()},
      {"sqrt_recipm1_alphas_cumprod", (alphasCumprod.reciprocal() - 1.0).sqrt()},
      {"posterior_variance", posteriorVariance},
      // The first variance is 0: ldm clips before the log.
      {"posterior_log_variance_clipped", at::clamp_min(posteriorVariance, 1e-20).log()},
      {"posterior_mean_coef1", betas * alphasCumprodPrev.sqrt() / (1.0 - alphasCumprod)},
      {"posterior_mean_coef2", (1.0 - alphasCumprodPrev) * alphas.sqrt() / (1.0 - alphasCumprod)},
  };
}

at::Tensor sgmDenoiserSigmas(const BetaSchedule& schedule) {
  const auto alphasCumprod = at::cumprod(1.0 - scaledLinearBetas(schedule), 0);
  // sgm casts the ratio to float32 before the square root.
  return ((1.0 - alphasCumprod) / alphasCumprod).to(at::kFloat).sqrt();
}

}  // namespace celerity
