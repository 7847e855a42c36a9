#include "metadata/DetailerInfotext.h"

#include <map>
#include <optional>

#include "metadata/PythonFormat.h"

namespace celerity {
namespace {

constexpr const char* kPrefix = "ADetailer ";

std::string pyBool(bool value) { return value ? "True" : "False"; }

DetailerSortOrder sortOrderFromName(const std::string& name) {
  for (auto order : {DetailerSortOrder::None, DetailerSortOrder::LeftToRight, DetailerSortOrder::CenterToEdge,
                     DetailerSortOrder::AreaDescending}) {
    if (name == detailerSortOrderName(order)) return order;
  }
  return DetailerSortOrder::None;
}

DetailerMaskMerge mergeFromName(const std::string& name) {
  for (auto mode : {DetailerMaskMerge::None, DetailerMaskMerge::Merge, DetailerMaskMerge::MergeInvert}) {
    if (name == detailerMergeModeName(mode)) return mode;
  }
  return DetailerMaskMerge::None;
}

}  // namespace

std::string detailerTabSuffix(int tab) {
  switch (tab) {
    case 0: return "";
    case 1: return " 2nd";
    case 2: return " 3rd";
    default: return " " + std::to_string(tab + 1) + "th";
  }
}

InfotextPairs detailerInfotext(const DetailerParams& params) {
  InfotextPairs pairs;
  for (std::size_t n = 0; n < params.tabs.size(); ++n) {
    const auto& tab = params.tabs[n];
    if (!tab.enabled) continue;
    const auto suffix = detailerTabSuffix(static_cast<int>(n));
    const auto add = [&](const std::string& key, const std::string& value) {
      pairs.emplace_back(kPrefix + key + suffix, value);
    };
    add("model", tab.model);
    if (!tab.prompt.empty()) add("prompt", tab.prompt);
    if (!tab.negativePrompt.empty()) add("negative prompt", tab.negativePrompt);
    add("confidence", pyfmt::reprFloat(tab.confidence));
    if (tab.maskTopK != 0) add("mask only top k largest", std::to_string(tab.maskTopK));
    if (tab.maskTopK != 0 && tab.topKBy == DetailerTopKBy::Confidence) {
      add("method to decide top k masks", "Confidence");
    }
    if (tab.maskMinRatio != 0.0) add("mask min ratio", pyfmt::reprFloat(tab.maskMinRatio));
    if (tab.maskMaxRatio != 1.0) add("mask max ratio", pyfmt::reprFloat(tab.maskMaxRatio));
    if (tab.sortOrder != DetailerSortOrder::None) add("sort bbox", detailerSortOrderName(tab.sortOrder));
    if (tab.xOffset != 0) add("x offset", std::to_string(tab.xOffset));
    if (tab.yOffset != 0) add("y offset", std::to_string(tab.yOffset));
    add("dilate erode", std::to_string(tab.dilateErode));
    if (tab.mergeMode != DetailerMaskMerge::None) add("mask merge invert", detailerMergeModeName(tab.mergeMode));
    add("mask blur", std::to_string(tab.maskBlur));
    add("denoising strength", pyfmt::reprFloat(tab.denoisingStrength));
    add("inpaint only masked", pyBool(tab.inpaintOnlyMasked));
    if (tab.inpaintOnlyMasked) add("inpaint padding", std::to_string(tab.inpaintPadding));
    if (tab.inpaintSize == DetailerInpaintSize::Custom) {
      add("use inpaint width height", "True");
      add("inpaint width", std::to_string(tab.inpaintWidth));
      add("inpaint height", std::to_string(tab.inpaintHeight));
    } else if (tab.inpaintSize == DetailerInpaintSize::MatchBox) {
      add("inpaint size", "Match box");  // Celerity's mode; ADetailer ignores the key
    }
    if (tab.steps) {
      add("use separate steps", "True");
      add("steps", std::to_string(*tab.steps));
    }
    if (tab.cfgScale) {
      add("use separate CFG scale", "True");
      add("CFG scale", pyfmt::reprFloat(*tab.cfgScale));
    }
    if (tab.checkpointPath) {
      add("use separate checkpoint", "True");
      add("checkpoint", *tab.checkpointPath);
    }
    if (tab.vaePath) {
      add("use separate VAE", "True");
      add("VAE", tab.vaePath->empty() ? "None" : *tab.vaePath);
    }
    if (tab.sampler || tab.scheduler) {
      add("use separate sampler", "True");
      add("sampler", tab.sampler.value_or("Use same sampler"));
      if (tab.scheduler) add("scheduler", *tab.scheduler);
    }
    if (tab.noiseMultiplier) {
      add("use separate noise multiplier", "True");
      add("noise multiplier", pyfmt::reprFloat(*tab.noiseMultiplier));
    }
    if (tab.clipSkip) {
      add("use separate CLIP skip", "True");
      add("CLIP skip", std::to_string(*tab.clipSkip));
    }
  }
  return pairs;
}

bool detailerFromInfotext(const InfotextPairs& pairs, DetailerParams& params) {
  std::vector<std::map<std::string, std::string>> tabs(DetailerParams::kMaxTabs);
  bool any = false;
  for (const auto& [key, rawValue] : pairs) {
    if (key.rfind(kPrefix, 0) != 0) continue;
    auto name = key.substr(std::string(kPrefix).size());
    int tab = 0;
    for (int n = DetailerParams::kMaxTabs - 1; n > 0; --n) {
      const auto suffix = detailerTabSuffix(n);
      if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        tab = n;
        name.resize(name.size() - suffix.size());
        break;
      }
    }
    tabs[static_cast<std::size_t>(tab)][name] = pyfmt::unquote(rawValue);
  }
  std::vector<DetailerTab> found;
  for (const auto& fields : tabs) {
    if (fields.count("model") == 0) {
      if (!found.empty()) break;  // tabs are written in order
      continue;
    }
    any = true;
    DetailerTab tab;
    const auto text = [&](const char* key) -> std::optional<std::string> {
      const auto it = fields.find(key);
      return it == fields.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    const auto real = [&](const char* key, double fallback) {
      const auto value = text(key);
      return value ? pyfmt::parseFloat(*value).value_or(fallback) : fallback;
    };
    const auto integer = [&](const char* key, int fallback) {
      const auto value = text(key);
      return value ? static_cast<int>(pyfmt::parseInt(*value).value_or(fallback)) : fallback;
    };
    const auto flag = [&](const char* key) { return text(key).value_or("False") == "True"; };
    tab.model = *text("model");
    tab.prompt = text("prompt").value_or("");
    tab.negativePrompt = text("negative prompt").value_or("");
    tab.confidence = real("confidence", tab.confidence);
    tab.maskTopK = integer("mask only top k largest", 0);
    if (text("method to decide top k masks").value_or("Area") == "Confidence") tab.topKBy = DetailerTopKBy::Confidence;
    tab.maskMinRatio = real("mask min ratio", 0.0);
    tab.maskMaxRatio = real("mask max ratio", 1.0);
    tab.sortOrder = sortOrderFromName(text("sort bbox").value_or("None"));
    tab.xOffset = integer("x offset", 0);
    tab.yOffset = integer("y offset", 0);
    tab.dilateErode = integer("dilate erode", tab.dilateErode);
    tab.mergeMode = mergeFromName(text("mask merge invert").value_or("None"));
    tab.maskBlur = integer("mask blur", tab.maskBlur);
    tab.denoisingStrength = real("denoising strength", tab.denoisingStrength);
    tab.inpaintOnlyMasked = text("inpaint only masked").value_or("True") == "True";
    tab.inpaintPadding = integer("inpaint padding", tab.inpaintPadding);
    if (flag("use inpaint width height")) {
      tab.inpaintSize = DetailerInpaintSize::Custom;
      tab.inpaintWidth = integer("inpaint width", tab.inpaintWidth);
      tab.inpaintHeight = integer("inpaint height", tab.inpaintHeight);
    } else if (text("inpaint size").value_or("") == "Match box") {
      tab.inpaintSize = DetailerInpaintSize::MatchBox;
    }
    if (flag("use separate steps")) tab.steps = integer("steps", 28);
    if (flag("use separate CFG scale")) tab.cfgScale = real("CFG scale", 7.0);
    if (flag("use separate checkpoint")) tab.checkpointPath = text("checkpoint");
    if (flag("use separate VAE")) {
      const auto vae = text("VAE").value_or("None");
      if (vae != "Use same VAE") tab.vaePath = vae == "None" || vae == "Automatic" ? std::string() : vae;
    }
    if (flag("use separate sampler")) {
      const auto sampler = text("sampler").value_or("Use same sampler");
      if (sampler != "Use same sampler") tab.sampler = sampler;
      const auto scheduler = text("scheduler").value_or("Use same scheduler");
      if (scheduler != "Use same scheduler") tab.scheduler = scheduler;
    }
    if (flag("use separate noise multiplier")) tab.noiseMultiplier = real("noise multiplier", 1.0);
    if (flag("use separate CLIP skip")) tab.clipSkip = integer("CLIP skip", 1);
    found.push_back(std::move(tab));
  }
  if (any) params.tabs = std::move(found);
  return any;
}

}  // namespace celerity
