#include "pipeline/JobParameters.h"

#include "metadata/DetailerInfotext.h"

#include <map>

#include "celerity/Options.h"

#include "sampling/SamplerRegistry.h"
#include "sampling/ScheduleRegistry.h"

namespace celerity {
namespace {

// A1111 sd_schedulers labels of the canonical schedule names (k-diffusion's discrete
// get_sigmas is A1111's "Uniform").
const std::map<std::string, std::string>& scheduleLabels() {
  static const std::map<std::string, std::string> labels = {
      {"normal", "Uniform"},         {"karras", "Karras"},
      {"exponential", "Exponential"}, {"polyexponential", "Polyexponential"},
      {"sgm_uniform", "SGM Uniform"}, {"kl_optimal", "KL Optimal"},
      {"simple", "Simple"},          {"ddim_uniform", "DDIM"},
      {"beta", "Beta"},
  };
  return labels;
}

}  // namespace

std::string a1111SamplerLabel(const std::string& sampler) {
  try {
    const auto& info = findSampler(sampler);
    return info.a1111Name.empty() ? info.name : info.a1111Name;
  } catch (const std::exception&) {
    return sampler;
  }
}

std::string a1111ScheduleLabel(const std::string& schedule) {
  if (schedule == "Automatic") return schedule;
  try {
    const auto& info = findSchedule(schedule);
    const auto it = scheduleLabels().find(info.name);
    return it != scheduleLabels().end() ? it->second : info.name;
  } catch (const std::exception&) {
    return schedule;
  }
}

GenerationParameters jobParameters(const Request& request, const std::string& modelName, std::int64_t seed,
                                   const std::vector<std::pair<std::string, std::string>>& extra) {
  GenerationParameters p;
  p.prompt = request.prompt;
  p.negativePrompt = request.negativePrompt;
  p.steps = request.steps;
  p.sampler = a1111SamplerLabel(request.sampler);
  p.scheduler = request.sdxlReferenceSampling ? "LegacyDDPM" : a1111ScheduleLabel(request.scheduler);
  p.cfgScale = request.cfgScale;
  p.seed = seed;
  p.width = request.width;
  p.height = request.height;
  if (!modelName.empty()) p.modelName = modelName;
  p.clipSkip = request.clipSkip;
  p.rng = "CPU";
  if (request.isImg2Img()) p.denoisingStrength = request.img2img.denoisingStrength;
  if (request.hires.enabled) {
    HiresParameters hires;
    hires.upscale = request.hires.scale;
    hires.upscaler = request.hires.upscaler;
    hires.steps = request.hires.steps;
    hires.denoisingStrength = request.hires.denoisingStrength;
    p.hires = hires;
  }
  if (request.isInpaint()) {
    p.extra.emplace_back("Mask blur", std::to_string(request.inpaint.maskBlur));
    if (request.inpaint.onlyMasked) {
      p.extra.emplace_back("Inpaint area", "Only masked");
      p.extra.emplace_back("Masked area padding", std::to_string(request.inpaint.onlyMaskedPadding));
    }
  }
  if (request.sdxlReferenceSampling) p.extra.emplace_back("Sampling", "Stability reference");
  // Toggles that change the image are part of what reproduces it; exact ones are not.
  std::string changes;
  for (const auto& change : OptimizationSet::resolve(request.optimizations).imageChangingDifferences()) {
    changes += (changes.empty() ? "" : ", ") + change;
  }
  if (!changes.empty()) p.extra.emplace_back("Optimizations", changes);
  for (const auto& [key, value] : extra) {
    if (key == "Emphasis") {
      p.emphasis = value;
    } else if (key == "Model hash") {
      p.modelHash = value;
    } else if (key == "VAE hash") {
      p.vaeHash = value;
    } else if (key == "VAE") {
      p.vaeName = value;
    } else {
      p.extra.emplace_back(key, value);
    }
  }
  return p;
}

void applyParameters(const GenerationParameters& p, Request& request) {
  request.prompt = p.prompt;
  request.negativePrompt = p.negativePrompt;
  request.steps = p.steps;
  request.sampler = p.sampler;
  if (!p.scheduler.empty()) request.scheduler = p.scheduler;
  request.cfgScale = p.cfgScale;
  request.seed = p.seed;
  request.width = p.width;
  request.height = p.height;
  request.clipSkip = p.clipSkip;
  if (p.denoisingStrength) request.img2img.denoisingStrength = *p.denoisingStrength;
  if (p.hires) {
    request.hires.enabled = true;
    request.hires.scale = p.hires->upscale;
    if (!p.hires->upscaler.empty()) request.hires.upscaler = p.hires->upscaler;
    request.hires.steps = p.hires->steps;
    request.hires.denoisingStrength = p.hires->denoisingStrength;
  }
  for (const auto& [key, value] : p.extra) {
    if (key != "Optimizations") continue;
    std::size_t start = 0;
    while (start < value.size()) {
      auto end = value.find(", ", start);
      if (end == std::string::npos) end = value.size();
      // Toggles this build does not know are skipped: the image is still worth restoring.
      const auto setting = value.substr(start, end - start);
      if (findOptimization(setting.substr(0, setting.find('='))) != nullptr) {
        parseOptimizationSetting(setting, request.optimizations);
      }
      start = end + 2;
    }
  }
  // ADetailer's tabs ("ADetailer model", … "ADetailer model 2nd", …), when the text has them.
  detailerFromInfotext(p.extra, request.detailer);
}

}  // namespace celerity

