#include "celerity/Catalog.h"

#include "sampling/NameLookup.h"

namespace celerity {
namespace {

// Same order and spellings as sampling/SamplerRegistry.cpp (tst_catalog compares them).
std::vector<SamplerCatalogEntry> makeSamplers() {
  return {
      {"euler", "Euler"},
      {"euler_ancestral", "Euler a"},
      {"heun", "Heun"},
      {"dpm_2", "DPM2"},
      {"dpm_2_ancestral", "DPM2 a"},
      {"lms", ""},
      {"lms_kdiffusion", "LMS"},
      {"dpmpp_2s_ancestral", "DPM++ 2S a"},
      {"dpmpp_sde", "DPM++ SDE"},
      {"dpmpp_2m", "DPM++ 2M"},
      {"dpmpp_2m_sde", "DPM++ 2M SDE"},
      {"dpmpp_2m_sde_heun", "DPM++ 2M SDE Heun"},
      {"dpmpp_3m_sde", "DPM++ 3M SDE"},
      {"lcm", "LCM"},
      {"ddim", "DDIM"},
      {"uni_pc", "UniPC"},
      {"uni_pc_bh2", ""},
  };
}

// Same order, aliases and descriptions as sampling/ScheduleRegistry.cpp.
std::vector<ScheduleCatalogEntry> makeSchedules() {
  return {
      {"normal", {"Automatic", "Uniform", "discrete_uniform"},
       "timesteps evenly spaced from T−1 to 0 (k-diffusion get_sigmas, A1111 Automatic)"},
      {"karras", {}, "Karras et al. rho-7 ramp between the table's sigma_min and sigma_max"},
      {"exponential", {}, "evenly spaced in log sigma"},
      {"polyexponential", {}, "polynomial ramp in log sigma (rho 1)"},
      {"sgm_uniform", {"SGM Uniform"}, "evenly spaced timesteps without the last (sgm style)"},
      {"simple", {}, "every (T/steps)-th table entry from the top"},
      {"ddim_uniform", {"DDIM"}, "DDIM's uniform timestep skip"},
      {"beta", {}, "timesteps at beta(0.6, 0.6) quantiles (arXiv 2407.12173)"},
      {"linear_quadratic", {"Linear Quadratic"}, "Mochi's linear-quadratic ramp (flow models)"},
      {"kl_optimal", {"KL Optimal"}, "evenly spaced in atan(sigma)"},
      {"legacy_ddpm", {"LegacyDDPM", "sgm_legacy_ddpm"},
       "Stability sgm LegacyDDPMDiscretization (SDXL reference scripts)"},
  };
}

}  // namespace

const std::vector<SamplerCatalogEntry>& samplerCatalog() {
  static const std::vector<SamplerCatalogEntry> catalog = makeSamplers();
  return catalog;
}

const std::vector<ScheduleCatalogEntry>& scheduleCatalog() {
  static const std::vector<ScheduleCatalogEntry> catalog = makeSchedules();
  return catalog;
}

const std::vector<std::string>& hiresUpscalerCatalog() {
  // Same order and spellings as imaging/LatentUpscale's latentUpscaleModes().
  static const std::vector<std::string> catalog = {
      "Latent", "Latent (antialiased)", "Latent (bicubic)", "Latent (bicubic antialiased)",
      "Latent (nearest)", "Latent (nearest-exact)"};
  return catalog;
}

const SamplerCatalogEntry* findSamplerEntry(const std::string& name) {
  return sampling::findByName(samplerCatalog(), name, [](const SamplerCatalogEntry& entry) {
    return std::vector<std::string>{entry.name, entry.a1111Label};
  });
}

const ScheduleCatalogEntry* findScheduleEntry(const std::string& name) {
  return sampling::findByName(scheduleCatalog(), name, [](const ScheduleCatalogEntry& entry) {
    std::vector<std::string> names{entry.name};
    names.insert(names.end(), entry.aliases.begin(), entry.aliases.end());
    return names;
  });
}

}  // namespace celerity
