#include "sampling/SamplerRegistry.h"

#include "celerity/Error.h"
#include "sampling/NameLookup.h"
#include "sampling/Samplers.h"

namespace celerity {

namespace {

using M = const Denoiser&;
using S = const Sigmas&;
using O = const SamplerOptions&;

// Entries whose name fixes an option the generic function leaves to SamplerOptions.
at::Tensor lmsKDiffusion(M m, at::Tensor x, S s, StepSink& sink, O o) {
  SamplerOptions options = o;
  options.flavor = SamplerFlavor::KDiffusion;
  return sampleLms(m, std::move(x), s, sink, options);
}

at::Tensor dpmpp2mSdeHeun(M m, at::Tensor x, S s, StepSink& sink, O o) {
  SamplerOptions options = o;
  options.sdeSolver = SdeSolver::Heun;
  return sampleDpmpp2mSde(m, std::move(x), s, sink, options);
}

at::Tensor uniPcBh1(M m, at::Tensor x, S s, StepSink& sink, O o) {
  SamplerOptions options = o;
  options.uniPcVariant = UniPcVariant::Bh1;
  return sampleUniPc(m, std::move(x), s, sink, options);
}

at::Tensor uniPcBh2(M m, at::Tensor x, S s, StepSink& sink, O o) {
  SamplerOptions options = o;
  options.uniPcVariant = UniPcVariant::Bh2;
  return sampleUniPc(m, std::move(x), s, sink, options);
}

std::vector<SamplerInfo> makeRegistry() {
  // name, A1111 label, function, uses noise, discards the penultimate sigma
  return {
      {"euler", "Euler", sampleEuler, false, false},
      {"euler_ancestral", "Euler a", sampleEulerAncestral, true, false},
      {"heun", "Heun", sampleHeun, false, false},
      {"dpm_2", "DPM2", sampleDpm2, false, true},
      {"dpm_2_ancestral", "DPM2 a", sampleDpm2Ancestral, true, true},
      {"lms", "", sampleLms, false, false},
      {"lms_kdiffusion", "LMS", lmsKDiffusion, false, false},
      {"dpmpp_2s_ancestral", "DPM++ 2S a", sampleDpmpp2sAncestral, true, false},
      {"dpmpp_sde", "DPM++ SDE", sampleDpmppSde, true, false},
      {"dpmpp_2m", "DPM++ 2M", sampleDpmpp2m, false, false},
      {"dpmpp_2m_sde", "DPM++ 2M SDE", sampleDpmpp2mSde, true, false},
      {"dpmpp_2m_sde_heun", "DPM++ 2M SDE Heun", dpmpp2mSdeHeun, true, false},
      {"dpmpp_3m_sde", "DPM++ 3M SDE", sampleDpmpp3mSde, true, false},
      {"lcm", "LCM", sampleLcm, true, false},
      {"ddim", "DDIM", sampleDdim, false, false},
      {"uni_pc", "UniPC", uniPcBh1, false, true},
      {"uni_pc_bh2", "", uniPcBh2, false, true},
  };
}

std::vector<std::string> namesOf(const SamplerInfo& info) { return {info.name, info.a1111Name}; }

}  // namespace

const std::vector<SamplerInfo>& samplerRegistry() {
  static const std::vector<SamplerInfo> registry = makeRegistry();
  return registry;
}

std::vector<std::string> samplerNames() {
  std::vector<std::string> names;
  for (const auto& info : samplerRegistry()) names.push_back(info.name);
  for (const auto& info : samplerRegistry()) {
    if (!info.a1111Name.empty()) names.push_back(info.a1111Name);
  }
  return names;
}

const SamplerInfo& findSampler(std::string_view name) {
  const auto* found = sampling::findByName(samplerRegistry(), name, namesOf);
  if (found == nullptr) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "unknown sampler '" + std::string(name) + "'; valid names: " +
                            sampling::joinNames(samplerNames()),
                        "sampler");
  }
  return *found;
}

Sigmas samplerSigmas(const SamplerInfo& sampler, std::string_view schedule,
                     const DiscreteSchedule& model, int steps, const ScheduleOptions& options) {
  if (!sampler.discardPenultimateSigma) return computeSchedule(schedule, model, steps, options);
  Sigmas sigmas = computeSchedule(schedule, model, steps + 1, options);
  if (sigmas.size() >= 3) sigmas.erase(sigmas.end() - 2);
  return sigmas;
}

}  // namespace celerity
