#pragma once
// ADetailer's options (the A1111 extension, v25.x), one tab each, as plain values so that the
// studio and the CLI build them without torch. Defaults are ADetailer's. A tab detects faces,
// hands or people on the current image and inpaints each region again at a low denoising
// strength; tab n sees tab n − 1's result.
#include <optional>
#include <string>
#include <vector>

namespace celerity {

enum class DetailerSortOrder { None = 0, LeftToRight, CenterToEdge, AreaDescending };
enum class DetailerTopKBy { Area = 0, Confidence };
enum class DetailerMaskMerge { None = 0, Merge, MergeInvert };

// The size a region's crop is sampled at.
enum class DetailerInpaintSize {
  ImageSize = 0,  // the main image's width × height (ADetailer's default)
  Custom,         // inpaintWidth × inpaintHeight ("use separate width/height")
  MatchBox,       // the crop's own size rounded up to a multiple of 8 (no resampling)
};

struct DetailerTab {
  bool enabled = true;
  // A file name inside the detector folders ("face_yolov8n.pt", "hand_yolov8n.safetensors")
  // or the built-in OpenCV face detector "haar_face".
  std::string model = "face_yolov8n.pt";
  // Empty = the main prompt. "[SEP]" splits one prompt per region (in order; the last one
  // repeats), "[PROMPT]" inserts the main prompt, a part that is only "[SKIP]" leaves that
  // region untouched.
  std::string prompt;
  std::string negativePrompt;

  double confidence = 0.3;
  double maskMinRatio = 0.0;  // region box area / image area
  double maskMaxRatio = 1.0;
  int maskTopK = 0;           // keep only the k best regions; 0 keeps all
  DetailerTopKBy topKBy = DetailerTopKBy::Area;
  DetailerSortOrder sortOrder = DetailerSortOrder::None;
  int xOffset = 0;   // pixels to the right
  int yOffset = 0;   // pixels up
  int dilateErode = 4;
  DetailerMaskMerge mergeMode = DetailerMaskMerge::None;
  int maskBlur = 4;
  double denoisingStrength = 0.4;
  bool inpaintOnlyMasked = true;
  int inpaintPadding = 32;
  DetailerInpaintSize inpaintSize = DetailerInpaintSize::ImageSize;
  int inpaintWidth = 512;
  int inpaintHeight = 512;

  // Unset: the main request's value.
  std::optional<int> steps;
  std::optional<double> cfgScale;
  std::optional<std::string> sampler;
  std::optional<std::string> scheduler;
  std::optional<std::string> checkpointPath;
  // ADetailer "use separate VAE": a standalone VAE file, "" for the checkpoint's own.
  std::optional<std::string> vaePath;
  std::optional<int> clipSkip;
  std::optional<double> noiseMultiplier;
};

struct DetailerParams {
  std::vector<DetailerTab> tabs;  // at most kMaxTabs; none = no detailer pass
  bool sameSeedForEachTab = false;  // false: tab i uses seed + i (ADetailer's default)
  // img2img: detail the init image as it is, without an img2img pass first (ADetailer's
  // "Skip img2img"); each image of the job is the init image detailed with its own seed.
  bool skipImg2Img = false;

  static constexpr int kMaxTabs = 4;
  bool active() const {
    for (const auto& tab : tabs) {
      if (tab.enabled) return true;
    }
    return false;
  }
};

// Built-in detector name (needs no model file).
inline constexpr const char* kBuiltinFaceDetector = "haar_face";

const char* detailerSortOrderName(DetailerSortOrder order);  // "None", "Position (left to right)", …
const char* detailerMergeModeName(DetailerMaskMerge mode);   // "None", "Merge", "Merge and Invert"

// Tabs from JSON in ADetailer's own API form: an array of tab objects, or an object whose
// "args" array holds them (A1111's `alwayson_scripts.ADetailer.args`; leading booleans are
// skipped). Keys as ADetailer names them: ad_model, ad_prompt, ad_negative_prompt,
// ad_confidence, ad_mask_k_largest, ad_mask_filter_method, ad_mask_min_ratio,
// ad_mask_max_ratio, ad_x_offset, ad_y_offset, ad_dilate_erode, ad_mask_merge_invert,
// ad_mask_blur, ad_denoising_strength, ad_inpaint_only_masked, ad_inpaint_only_masked_padding,
// ad_use_inpaint_width_height + ad_inpaint_width/height, ad_use_steps + ad_steps,
// ad_use_cfg_scale + ad_cfg_scale, ad_use_sampler + ad_sampler/ad_scheduler, ad_use_checkpoint
// + ad_checkpoint, ad_use_clip_skip + ad_clip_skip, ad_use_noise_multiplier +
// ad_noise_multiplier, ad_tab_enable, ad_bbox_sortby; Celerity adds "ad_inpaint_match_box".
// Throws CelerityError(InvalidArgument / MalformedFile) naming `where` and the key.
DetailerParams detailerParamsFromJson(const std::string& json, const std::string& where);

}  // namespace celerity
