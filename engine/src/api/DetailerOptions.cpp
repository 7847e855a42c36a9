#include "celerity/DetailerOptions.h"

#include <nlohmann/json.hpp>

#include "celerity/Error.h"

namespace celerity {

// ADetailer's own labels (they appear in its UI and infotext).
const char* detailerSortOrderName(DetailerSortOrder order) {
  switch (order) {
    case DetailerSortOrder::None: return "None";
    case DetailerSortOrder::LeftToRight: return "Position (left to right)";
    case DetailerSortOrder::CenterToEdge: return "Position (center to edge)";
    case DetailerSortOrder::AreaDescending: return "Area (large to small)";
  }
  return "None";
}

const char* detailerMergeModeName(DetailerMaskMerge mode) {
  switch (mode) {
    case DetailerMaskMerge::None: return "None";
    case DetailerMaskMerge::Merge: return "Merge";
    case DetailerMaskMerge::MergeInvert: return "Merge and Invert";
  }
  return "None";
}

namespace {

using nlohmann::json;

[[noreturn]] void badKey(const std::string& where, std::size_t tab, const std::string& key, const std::string& why) {
  throw CelerityError(ErrorCode::InvalidArgument, why, where + ": tab " + std::to_string(tab + 1) + " " + key);
}

template <typename T>
T value(const json& object, const char* key, T fallback, const std::string& where, std::size_t tab) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return fallback;
  try {
    return found->get<T>();
  } catch (const json::exception&) {
    badKey(where, tab, key, std::string("has the wrong type (") + found->type_name() + ")");
  }
}

DetailerTab tabFromJson(const json& object, const std::string& where, std::size_t n) {
  static const char* const kKnown[] = {
      "ad_model", "ad_model_classes", "ad_tab_enable", "ad_tap_enable", "ad_prompt", "ad_negative_prompt",
      "ad_confidence", "ad_mask_k_largest", "ad_mask_k", "ad_mask_filter_method", "ad_mask_min_ratio",
      "ad_mask_max_ratio", "ad_x_offset", "ad_y_offset", "ad_dilate_erode", "ad_mask_merge_invert",
      "ad_mask_blur", "ad_denoising_strength", "ad_inpaint_only_masked", "ad_inpaint_only_masked_padding",
      "ad_use_inpaint_width_height", "ad_inpaint_width", "ad_inpaint_height", "ad_use_steps", "ad_steps",
      "ad_use_cfg_scale", "ad_cfg_scale", "ad_use_checkpoint", "ad_checkpoint", "ad_use_vae", "ad_vae",
      "ad_use_sampler", "ad_sampler", "ad_scheduler", "ad_use_noise_multiplier", "ad_noise_multiplier",
      "ad_use_clip_skip", "ad_clip_skip", "ad_restore_face", "ad_controlnet_model", "ad_controlnet_module",
      "ad_controlnet_weight", "ad_controlnet_guidance_start", "ad_controlnet_guidance_end", "is_api",
      "ad_bbox_sortby", "ad_inpaint_match_box"};
  for (const auto& item : object.items()) {
    bool known = false;
    for (const char* key : kKnown) known = known || item.key() == key;
    if (!known) badKey(where, n, item.key(), "is not an ADetailer option");
  }
  DetailerTab tab;
  tab.model = value<std::string>(object, "ad_model", tab.model, where, n);
  if (tab.model == "None") tab.enabled = false;
  tab.enabled = tab.enabled && value<bool>(object, "ad_tab_enable", value<bool>(object, "ad_tap_enable", true, where, n),
                                           where, n);
  tab.prompt = value<std::string>(object, "ad_prompt", "", where, n);
  tab.negativePrompt = value<std::string>(object, "ad_negative_prompt", "", where, n);
  tab.confidence = value<double>(object, "ad_confidence", tab.confidence, where, n);
  tab.maskTopK = value<int>(object, "ad_mask_k_largest", value<int>(object, "ad_mask_k", 0, where, n), where, n);
  const auto method = value<std::string>(object, "ad_mask_filter_method", "Area", where, n);
  if (method != "Area" && method != "Confidence") badKey(where, n, "ad_mask_filter_method", "must be Area or Confidence");
  tab.topKBy = method == "Confidence" ? DetailerTopKBy::Confidence : DetailerTopKBy::Area;
  tab.maskMinRatio = value<double>(object, "ad_mask_min_ratio", 0.0, where, n);
  tab.maskMaxRatio = value<double>(object, "ad_mask_max_ratio", 1.0, where, n);
  tab.xOffset = value<int>(object, "ad_x_offset", 0, where, n);
  tab.yOffset = value<int>(object, "ad_y_offset", 0, where, n);
  tab.dilateErode = value<int>(object, "ad_dilate_erode", tab.dilateErode, where, n);
  const auto merge = value<std::string>(object, "ad_mask_merge_invert", "None", where, n);
  bool mergeKnown = false;
  for (auto mode : {DetailerMaskMerge::None, DetailerMaskMerge::Merge, DetailerMaskMerge::MergeInvert}) {
    if (merge == detailerMergeModeName(mode)) {
      tab.mergeMode = mode;
      mergeKnown = true;
    }
  }
  if (!mergeKnown) badKey(where, n, "ad_mask_merge_invert", "must be None, Merge or Merge and Invert");
  const auto sortBy = value<std::string>(object, "ad_bbox_sortby", "None", where, n);
  bool sortKnown = false;
  for (auto order : {DetailerSortOrder::None, DetailerSortOrder::LeftToRight, DetailerSortOrder::CenterToEdge,
                     DetailerSortOrder::AreaDescending}) {
    if (sortBy == detailerSortOrderName(order)) {
      tab.sortOrder = order;
      sortKnown = true;
    }
  }
  if (!sortKnown) badKey(where, n, "ad_bbox_sortby", "is not one of ADetailer's sort orders");
  tab.maskBlur = value<int>(object, "ad_mask_blur", tab.maskBlur, where, n);
  tab.denoisingStrength = value<double>(object, "ad_denoising_strength", tab.denoisingStrength, where, n);
  tab.inpaintOnlyMasked = value<bool>(object, "ad_inpaint_only_masked", true, where, n);
  tab.inpaintPadding = value<int>(object, "ad_inpaint_only_masked_padding", tab.inpaintPadding, where, n);
  if (value<bool>(object, "ad_use_inpaint_width_height", false, where, n)) {
    tab.inpaintSize = DetailerInpaintSize::Custom;
    tab.inpaintWidth = value<int>(object, "ad_inpaint_width", tab.inpaintWidth, where, n);
    tab.inpaintHeight = value<int>(object, "ad_inpaint_height", tab.inpaintHeight, where, n);
  } else if (value<bool>(object, "ad_inpaint_match_box", false, where, n)) {
    tab.inpaintSize = DetailerInpaintSize::MatchBox;
  }
  if (value<bool>(object, "ad_use_steps", false, where, n)) tab.steps = value<int>(object, "ad_steps", 28, where, n);
  if (value<bool>(object, "ad_use_cfg_scale", false, where, n)) {
    tab.cfgScale = value<double>(object, "ad_cfg_scale", 7.0, where, n);
  }
  if (value<bool>(object, "ad_use_checkpoint", false, where, n)) {
    tab.checkpointPath = value<std::string>(object, "ad_checkpoint", "", where, n);
  }
  if (value<bool>(object, "ad_use_sampler", false, where, n)) {
    tab.sampler = value<std::string>(object, "ad_sampler", "DPM++ 2M Karras", where, n);
    const auto scheduler = value<std::string>(object, "ad_scheduler", "Use same scheduler", where, n);
    if (scheduler != "Use same scheduler") tab.scheduler = scheduler;
  }
  if (value<bool>(object, "ad_use_noise_multiplier", false, where, n)) {
    tab.noiseMultiplier = value<double>(object, "ad_noise_multiplier", 1.0, where, n);
  }
  if (value<bool>(object, "ad_use_clip_skip", false, where, n)) tab.clipSkip = value<int>(object, "ad_clip_skip", 1, where, n);
  if (value<bool>(object, "ad_use_vae", false, where, n)) {
    // "Use same VAE": the job's; "None" / "Automatic": the checkpoint's own (an empty path).
    const auto vae = value<std::string>(object, "ad_vae", "Use same VAE", where, n);
    if (vae != "Use same VAE") tab.vaePath = vae == "None" || vae == "Automatic" ? std::string() : vae;
  }
  if (value<std::string>(object, "ad_controlnet_model", "None", where, n) != "None") {
    badKey(where, n, "ad_controlnet_model", "ControlNet is not supported yet");
  }
  return tab;
}

}  // namespace

DetailerParams detailerParamsFromJson(const std::string& text, const std::string& where) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    throw CelerityError(ErrorCode::MalformedFile, std::string("not valid JSON: ") + e.what(), where);
  }
  const json* list = &document;
  if (document.is_object()) {
    const auto args = document.find("args");
    if (args == document.end()) {
      throw CelerityError(ErrorCode::InvalidArgument, "expected an array of tabs or an object with \"args\"", where);
    }
    list = &*args;
  }
  if (!list->is_array()) throw CelerityError(ErrorCode::InvalidArgument, "the tabs must be a JSON array", where);
  DetailerParams params;
  int booleans = 0;
  bool enabled = true;
  for (const auto& entry : *list) {
    if (entry.is_boolean()) {  // ADetailer's leading ad_enable, skip_img2img
      if (booleans == 0) enabled = entry.get<bool>();
      if (booleans == 1) params.skipImg2Img = entry.get<bool>();
      ++booleans;
      continue;
    }
    if (!entry.is_object()) throw CelerityError(ErrorCode::InvalidArgument, "every tab must be a JSON object", where);
    params.tabs.push_back(tabFromJson(entry, where, params.tabs.size()));
  }
  if (params.tabs.size() > static_cast<std::size_t>(DetailerParams::kMaxTabs)) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "at most " + std::to_string(DetailerParams::kMaxTabs) + " tabs", where);
  }
  if (!enabled) {
    for (auto& tab : params.tabs) tab.enabled = false;
  }
  return params;
}

}  // namespace celerity
