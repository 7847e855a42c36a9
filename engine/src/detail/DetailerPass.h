#pragma once
// ADetailer's pass, run on each finished image of a job (after hires fix and decoding): for
// every enabled tab, detect → filter, sort and shape the masks → inpaint each region again at
// a low denoising strength ("only masked": only the padded crop is encoded, sampled and
// decoded) → paste it back. Tab n sees tab n − 1's result, region j sees region j − 1's
// result, exactly as the extension runs them one img2img job at a time.
//
// What makes it cheap (each an Options.h toggle, each visible as a `detail.*` stage):
// - `detail.batch_inpaint`: regions whose paste rectangles do not intersect and that share
//   their sampling settings (crop size, steps, strength, …) go through encode, sampling and
//   decode as ONE batch, each with its own seed stream and prompt; regions that overlap wait
//   for the earlier ones (DetailerBatching.h), so the image equals the sequential one up to
//   batched floating-point sums;
// - `detail.single_pass`: every tab detects on the finished image with one shared letterboxed
//   input, and regions of different tabs batch together (changes which regions a later tab
//   finds, so it is marked as changing the image);
// - `detail.keep_detector`, `detail.detect_cache`: DetectorSet.h;
// - tab prompts are encoded once per job (and by the model's text cache across jobs).
//
// LoRAs: a region's prompt names its own `<lora:…>` set, as ADetailer's img2img job activates
// the extra networks of its own prompt (an empty tab prompt is the main prompt, tags
// included). The model provider applies that set before the region is encoded and sampled;
// regions with different sets never share a batch.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "celerity/GeneratedImage.h"
#include "celerity/Request.h"
#include "detail/DetectorSet.h"
#include "pipeline/StageObserver.h"

namespace celerity {

class GenerationPipeline;
class UNetExecutor;

namespace stages {
inline constexpr const char* kDetail = "detail";  // one tab (or, single pass, all tabs)
inline constexpr const char* kDetailMask = "detail.mask";
inline constexpr const char* kDetailEncode = "detail.encode";
inline constexpr const char* kDetailSample = "detail.sample";  // one batch's sampling pass
inline constexpr const char* kDetailDecode = "detail.decode";
inline constexpr const char* kDetailPaste = "detail.paste";
}  // namespace stages

struct DetailerSwitches {
  bool keepDetector = true;   // detail.keep_detector
  bool singlePass = false;    // detail.single_pass
  bool detectCache = true;    // detail.detect_cache
  bool batchInpaint = true;   // detail.batch_inpaint
  std::size_t maxBatch = 8;   // regions per batch at most
};

// The model a region is inpainted with, prepared by the engine: the job's checkpoint or the
// tab's own (ADetailer "use separate checkpoint"), the job's VAE or the tab's ("use separate
// VAE"; "" = the checkpoint's own), with exactly the LoRAs `prompt` names.
struct DetailerModel {
  GenerationPipeline* pipeline = nullptr;
  UNetExecutor* unetExecutor = nullptr;  // that model's own (null: eager)
};
using DetailerModelProvider =
    std::function<DetailerModel(const std::optional<std::string>& checkpointPath,
                                const std::optional<std::string>& vaePath, const std::string& prompt)>;

struct DetailerStats {
  int regions = 0;      // regions inpainted
  int batches = 0;      // img2img batches run
  int skipped = 0;      // regions whose prompt was [SKIP]
};

class DetailerPass {
 public:
  DetailerPass(DetailerModelProvider models, DetectorSet& detectors, DetailerSwitches switches);

  // Runs `request.detailer` on `image` in place: its pixels, detailedRegions, and ADetailer's
  // infotext entries (parameters and infotext). Throws CelerityError naming the tab for bad
  // tab settings, a missing detector, or a cancel.
  DetailerStats run(GeneratedImage& image, const Request& request, const JobControl& control);

 private:
  struct Impl;
  DetailerModelProvider models_;
  DetectorSet& detectors_;
  DetailerSwitches switches_;
};

}  // namespace celerity
