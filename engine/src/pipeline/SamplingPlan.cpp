#include "pipeline/SamplingPlan.h"

#include <cmath>

#include "pipeline/BatchNoise.h"
#include "sampling/ScheduleRegistry.h"

namespace celerity {
namespace {

const char* const kReferenceSchedule = "legacy_ddpm";

}  // namespace

SamplingPlan SamplingPlan::forRequest(const Request& request) {
  SamplingPlan plan;
  plan.sampler = &findSampler(request.sampler);
  // A ComfyUI name gets ComfyUI's behaviour where the two differ, an A1111 label A1111's.
  plan.samplerFlavor = request.sampler == plan.sampler->name && request.sampler != plan.sampler->a1111Name
                           ? SamplerFlavor::ComfyUI
                           : SamplerFlavor::KDiffusion;
  if (request.sdxlReferenceSampling) {
    plan.schedule = kReferenceSchedule;
    plan.tableFlavor = SigmaTableFlavor::Sgm;
    plan.timestepMode = TimestepMode::NearestIndex;
    plan.referenceNoiseScale = true;
  } else {
    plan.schedule = findSchedule(request.scheduler).name;
    plan.tableFlavor = plan.samplerFlavor == SamplerFlavor::ComfyUI ? SigmaTableFlavor::ComfyUI
                                                                    : SigmaTableFlavor::CompVis;
  }
  return plan;
}

Sigmas SamplingPlan::sigmas(const DiscreteSchedule& table, int steps) const {
  return samplerSigmas(*sampler, schedule, table, steps);
}

double SamplingPlan::noiseScale(double sigma) const {
  return referenceNoiseScale ? std::sqrt(1.0 + sigma * sigma) : sigma;
}

at::Tensor sigmasTensor(const Sigmas& sigmas) {
  std::vector<float> values(sigmas.begin(), sigmas.end());
  return at::tensor(values, at::kFloat);
}

at::Tensor runSampler(const SamplingPlan& plan, CfgDenoiser& denoiser, at::Tensor x, const Sigmas& sigmas,
                      BatchNoise& noise, std::uint64_t seed, const JobControl& control) {
  StepSink sink;
  sink.cancel = control.cancel;
  sink.onStep = [&control](int step, int total, const at::Tensor& latent, const at::Tensor& denoised, double) {
    control.record("latent." + std::to_string(step), latent);
    if (control.observer != nullptr) control.observer->onStep(step, total, latent, denoised);
  };
  SamplerOptions options;
  options.flavor = plan.samplerFlavor;
  options.noise = noise.source(x.sizes().slice(1).vec());
  options.seed = seed;
  control.record("sigmas", sigmasTensor(sigmas));
  auto result = plan.sampler->sample(denoiser.denoiser(), std::move(x), sigmas, sink, options);
  control.record("latent." + std::to_string(static_cast<int>(sigmas.size()) - 1), result);
  return result;
}

}  // namespace celerity
