#pragma once
// Schedules by name: ComfyUI's scheduler names, A1111's scheduler labels (matched ignoring
// case: "Karras", "SGM Uniform", "KL Optimal", …) and a few aliases ("normal" = "Automatic" =
// "Uniform" = k-diffusion's "discrete_uniform").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sampling/Denoiser.h"
#include "sampling/DiscreteSchedule.h"

namespace celerity {

struct ScheduleOptions {
  std::optional<double> rho;  // karras (default 7) and polyexponential (default 1)
  double betaAlpha = 0.6;     // the beta schedule's distribution
  double betaBeta = 0.6;
};

struct ScheduleInfo {
  std::string name;                  // ComfyUI spelling, the canonical id
  std::vector<std::string> aliases;  // A1111 labels and other spellings
  std::string description;
  Sigmas (*compute)(const DiscreteSchedule& model, int steps, const ScheduleOptions& options);
};

const std::vector<ScheduleInfo>& scheduleRegistry();

// By canonical name or alias, exact first, then ignoring case. An unknown name throws
// CelerityError(InvalidArgument) listing the valid names.
const ScheduleInfo& findSchedule(std::string_view name);

// Every accepted name (canonical names and aliases).
std::vector<std::string> scheduleNames();

Sigmas computeSchedule(std::string_view name, const DiscreteSchedule& model, int steps,
                       const ScheduleOptions& options = {});

}  // namespace celerity
