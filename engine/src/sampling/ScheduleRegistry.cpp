#include "sampling/ScheduleRegistry.h"

#include "celerity/Error.h"
#include "sampling/NameLookup.h"
#include "sampling/Schedules.h"

namespace celerity {

namespace {

std::vector<ScheduleInfo> makeRegistry() {
  using M = const DiscreteSchedule&;
  using O = const ScheduleOptions&;
  return {
      {"normal", {"Automatic", "Uniform", "discrete_uniform"},
       "timesteps evenly spaced from T−1 to 0 (k-diffusion get_sigmas, A1111 Automatic)",
       [](M m, int n, O) { return normalSigmas(m, n); }},
      {"karras", {}, "Karras et al. rho-7 ramp between the table's sigma_min and sigma_max",
       [](M m, int n, O o) { return karrasSigmas(n, m.sigmaMin(), m.sigmaMax(), o.rho.value_or(7.0)); }},
      {"exponential", {}, "evenly spaced in log sigma",
       [](M m, int n, O) { return exponentialSigmas(n, m.sigmaMin(), m.sigmaMax()); }},
      {"polyexponential", {}, "polynomial ramp in log sigma (rho 1)",
       [](M m, int n, O o) {
         return polyexponentialSigmas(n, m.sigmaMin(), m.sigmaMax(), o.rho.value_or(1.0));
       }},
      {"sgm_uniform", {"SGM Uniform"}, "evenly spaced timesteps without the last (sgm style)",
       [](M m, int n, O) { return sgmUniformSigmas(m, n); }},
      {"simple", {}, "every (T/steps)-th table entry from the top",
       [](M m, int n, O) { return simpleSigmas(m, n); }},
      {"ddim_uniform", {"DDIM"}, "DDIM's uniform timestep skip",
       [](M m, int n, O) { return ddimUniformSigmas(m, n); }},
      {"beta", {}, "timesteps at beta(0.6, 0.6) quantiles (arXiv 2407.12173)",
       [](M m, int n, O o) { return betaSigmas(m, n, o.betaAlpha, o.betaBeta); }},
      {"linear_quadratic", {"Linear Quadratic"}, "Mochi's linear-quadratic ramp (flow models)",
       [](M m, int n, O) { return linearQuadraticSigmas(m, n); }},
      {"kl_optimal", {"KL Optimal"}, "evenly spaced in atan(sigma)",
       [](M m, int n, O) { return klOptimalSigmas(n, m.sigmaMin(), m.sigmaMax()); }},
      {"legacy_ddpm", {"LegacyDDPM", "sgm_legacy_ddpm"},
       "Stability sgm LegacyDDPMDiscretization (SDXL reference scripts)",
       [](M m, int n, O) { return legacyDdpmSigmas(m, n); }},
  };
}

}  // namespace

const std::vector<ScheduleInfo>& scheduleRegistry() {
  static const std::vector<ScheduleInfo> registry = makeRegistry();
  return registry;
}

std::vector<std::string> scheduleNames() {
  std::vector<std::string> names;
  for (const auto& info : scheduleRegistry()) {
    names.push_back(info.name);
    names.insert(names.end(), info.aliases.begin(), info.aliases.end());
  }
  return names;
}

const ScheduleInfo& findSchedule(std::string_view name) {
  const auto& registry = scheduleRegistry();
  const auto* found = sampling::findByName(registry, name, [](const ScheduleInfo& info) {
    std::vector<std::string> names{info.name};
    names.insert(names.end(), info.aliases.begin(), info.aliases.end());
    return names;
  });
  if (found == nullptr) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "unknown schedule '" + std::string(name) + "'; valid names: " +
                            sampling::joinNames(scheduleNames()),
                        "schedule");
  }
  return *found;
}

Sigmas computeSchedule(std::string_view name, const DiscreteSchedule& model, int steps,
                       const ScheduleOptions& options) {
  return findSchedule(name).compute(model, steps, options);
}

}  // namespace celerity
