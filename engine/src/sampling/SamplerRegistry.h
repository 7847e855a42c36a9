#pragma once
// Samplers by name: ComfyUI's sampler names and A1111's labels ("euler_ancestral" /
// "Euler a", "dpmpp_2m" / "DPM++ 2M", …). Where the two programs differ, each name keeps its
// program's behaviour: "lms" ends like ComfyUI, "LMS" (alias "lms_kdiffusion") like
// k-diffusion/A1111; "uni_pc" is bh1, "uni_pc_bh2" bh2.
#include <string>
#include <string_view>
#include <vector>

#include "sampling/Denoiser.h"
#include "sampling/DiscreteSchedule.h"
#include "sampling/SamplerOptions.h"
#include "sampling/ScheduleRegistry.h"
#include "sampling/StepSink.h"

namespace celerity {

using SamplerFn = at::Tensor (*)(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                                 StepSink& sink, const SamplerOptions& options);

struct SamplerInfo {
  std::string name;       // ComfyUI spelling, the canonical id
  std::string a1111Name;  // A1111 label; empty when A1111 has no such sampler
  SamplerFn sample;
  bool usesNoise;         // draws from SamplerOptions::noise
  // ComfyUI and A1111 compute steps + 1 sigmas and drop the next-to-last for these.
  bool discardPenultimateSigma;
};

const std::vector<SamplerInfo>& samplerRegistry();

// By ComfyUI name or A1111 label, exact first, then ignoring case. An unknown name throws
// CelerityError(InvalidArgument) listing the valid names.
const SamplerInfo& findSampler(std::string_view name);

// Every accepted name (ComfyUI names, then A1111 labels).
std::vector<std::string> samplerNames();

// The sigmas a sampler runs for `steps` steps of a schedule, applying
// discardPenultimateSigma as ComfyUI's KSampler does.
Sigmas samplerSigmas(const SamplerInfo& sampler, std::string_view schedule,
                     const DiscreteSchedule& model, int steps,
                     const ScheduleOptions& options = {});

}  // namespace celerity
