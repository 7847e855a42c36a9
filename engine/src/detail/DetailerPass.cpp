#include "detail/DetailerPass.h"

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>

#include <c10/core/InferenceMode.h>
#include <spdlog/spdlog.h>

#include "celerity/Error.h"
#include "common/Log.h"
#include "detail/DetailerBatching.h"
#include "metadata/DetailerInfotext.h"
#include "detail/DetailerPrompts.h"
#include "detail/MaskOps.h"
#include "detail/YoloDetector.h"
#include "imaging/ImageConversion.h"
#include "imaging/InpaintMask.h"
#include "imaging/InpaintPreparation.h"
#include "metadata/GenerationParametersMapping.h"
#include "pipeline/BatchNoise.h"
#include "pipeline/GenerationPipeline.h"
#include "pipeline/Img2Img.h"
#include "pipeline/LatentImages.h"
#include "pipeline/PromptConditioning.h"
#include "pipeline/SamplingPlan.h"

namespace celerity {
namespace {

std::string tabWhere(int tab, const std::string& field) {
  return "Request.detailer.tabs[" + std::to_string(tab) + "]" + (field.empty() ? "" : "." + field);
}

void checkTab(const DetailerTab& tab, int index) {
  const auto fail = [&](const std::string& field, const std::string& message) {
    throw CelerityError(ErrorCode::InvalidArgument, message, tabWhere(index, field));
  };
  if (tab.model.empty()) fail("model", "no detector model chosen");
  if (tab.confidence < 0.0 || tab.confidence > 1.0) fail("confidence", "must be within [0, 1]");
  if (tab.maskMinRatio < 0.0 || tab.maskMaxRatio > 1.0 || tab.maskMinRatio > tab.maskMaxRatio) {
    fail("maskMinRatio", "mask area ratios need 0 <= min <= max <= 1");
  }
  if (tab.maskTopK < 0) fail("maskTopK", "must be 0 (all) or more");
  if (tab.maskBlur < 0) fail("maskBlur", "must not be negative");
  if (tab.denoisingStrength < 0.0 || tab.denoisingStrength > 1.0) fail("denoisingStrength", "must be within [0, 1]");
  if (tab.inpaintPadding < 0) fail("inpaintPadding", "must not be negative");
  if (tab.inpaintSize == DetailerInpaintSize::Custom &&
      (tab.inpaintWidth <= 0 || tab.inpaintHeight <= 0 || tab.inpaintWidth % 8 != 0 || tab.inpaintHeight % 8 != 0)) {
    fail("inpaintWidth", "inpaint width and height must be positive multiples of 8");
  }
  if (tab.steps && *tab.steps < 1) fail("steps", "must be at least 1");
  if (tab.clipSkip && *tab.clipSkip < 1) fail("clipSkip", "must be at least 1");
  if (tab.noiseMultiplier && *tab.noiseMultiplier <= 0.0) fail("noiseMultiplier", "must be positive");
}

// The img2img request ADetailer builds for a tab (its sizes are set per region).
Request tabRequest(const Request& main, const DetailerTab& tab) {
  Request r = main;
  r.detailer = {};
  r.hires = {};
  r.img2img = {};
  r.inpaint = {};
  r.sdxlSize = {};  // SDXL size conditioning follows the crop's processing size
  r.batchCount = 1;
  r.batchSize = 1;
  r.steps = tab.steps.value_or(main.steps);
  r.cfgScale = tab.cfgScale.value_or(main.cfgScale);
  if (tab.sampler) r.sampler = *tab.sampler;
  if (tab.scheduler) r.scheduler = *tab.scheduler;
  if (tab.clipSkip) r.clipSkip = *tab.clipSkip;
  r.img2img.denoisingStrength = tab.denoisingStrength;
  return r;
}

at::Tensor maskTensor(const Mask& mask) {
  auto bytes = at::from_blob(const_cast<std::uint8_t*>(mask.pixels.data()), {1, 1, mask.height, mask.width}, at::kByte);
  return bytes.to(at::kFloat).div(255.0);
}

std::vector<std::uint8_t> maskBytes(const Mask& mask) { return mask.pixels; }

int roundUp(int value, int multiple) { return std::max(multiple, (value + multiple - 1) / multiple * multiple); }

std::string scheduleSignature(const ConditioningSchedule& schedule) {
  std::ostringstream out;
  for (const auto& entry : schedule) {
    out << entry.untilStep << ':';
    if (entry.conditioning.context.defined()) out << entry.conditioning.context.size(1);
    out << ';';
  }
  return out.str();
}

// One row per item; shared when every item uses the same encoding.
ConditioningSchedule stackSchedules(const std::vector<const ConditioningSchedule*>& schedules) {
  ConditioningSchedule out = *schedules.front();
  const bool shared = std::all_of(schedules.begin(), schedules.end(),
                                  [&](const ConditioningSchedule* s) { return s == schedules.front(); });
  if (shared) return out;
  for (std::size_t e = 0; e < out.size(); ++e) {
    std::vector<at::Tensor> contexts, ys;
    for (const auto* schedule : schedules) {
      const auto& branch = (*schedule)[e].conditioning;
      contexts.push_back(branch.context.slice(0, 0, 1));
      if (branch.y.defined()) ys.push_back(branch.y.slice(0, 0, 1));
    }
    out[e].conditioning.context = at::cat(contexts);
    if (!ys.empty()) out[e].conditioning.y = at::cat(ys);
  }
  return out;
}

}  // namespace

struct DetailerPass::Impl {
  DetailerPass& pass;
  const Request& request;
  const JobControl& control;
  GeneratedImage& output;
  RgbImage current;
  int version = 0;  // bumps whenever a region is pasted into `current`
  DetailerStats stats;
  std::map<std::string, PromptConditioning> encodings;  // tab prompts, encoded once per job

  struct TabSetup {
    int index = 0;
    const DetailerTab* tab = nullptr;
    Request request;  // the tab's img2img settings
    std::string modelKey;  // its own checkpoint, "" for the job's
    std::vector<std::string> prompts;
    std::vector<std::string> negatives;
    std::uint64_t seed = 0;
    std::shared_ptr<Detector> detector;
    std::string detectorKey;
  };

  struct WorkItem {
    const TabSetup* tab = nullptr;
    Mask mask;
    at::Tensor maskTensor;
    InpaintSettings settings;
    PreparedInpaint prepared;
    int preparedVersion = -1;
    std::string prompt;
    DetailerModel model;  // prepared for this region's prompt (its LoRA set)
    const PromptConditioning* prompts = nullptr;
    BatchCandidate candidate;
  };

  std::vector<TabSetup> tabs;

  Impl(DetailerPass& p, const Request& r, const JobControl& c, GeneratedImage& image)
      : pass(p), request(r), control(c), output(image) {
    current.width = image.width;
    current.height = image.height;
    current.pixels = image.rgb;
  }

  void setUpTabs() {
    const auto& params = request.detailer;
    if (params.tabs.size() > static_cast<std::size_t>(DetailerParams::kMaxTabs)) {
      throw CelerityError(ErrorCode::InvalidArgument,
                          "at most " + std::to_string(DetailerParams::kMaxTabs) + " detailer tabs",
                          "Request.detailer.tabs");
    }
    for (std::size_t n = 0; n < params.tabs.size(); ++n) {
      const auto& tab = params.tabs[n];
      if (!tab.enabled) continue;
      const int index = static_cast<int>(n);
      checkTab(tab, index);
      TabSetup setup;
      setup.index = index;
      setup.tab = &tab;
      setup.request = tabRequest(request, tab);
      try {
        validateRequest(setup.request);
        SamplingPlan::forRequest(setup.request);
      } catch (const CelerityError& e) {
        throw CelerityError(e.code(), e.error().message, tabWhere(index, e.error().where));
      }
      setup.modelKey = tab.checkpointPath.value_or("") + '\x1f' + (tab.vaePath ? "vae:" + *tab.vaePath : "");
      setup.prompts = splitTabPrompts(tab.prompt, request.prompt);
      // A tab's own checkpoint / VAE is loaded now, so that a bad one fails before any detection.
      if (tab.checkpointPath || tab.vaePath) pass.models_(tab.checkpointPath, tab.vaePath, setup.prompts.front());
      setup.negatives = splitTabPrompts(tab.negativePrompt, request.negativePrompt);
      setup.seed = static_cast<std::uint64_t>(output.seed + (params.sameSeedForEachTab ? 0 : index));
      setup.detectorKey = pass.detectors_.resolve(tab.model).string();
      tabs.push_back(std::move(setup));
    }
  }

  DetectOptions detectOptions(const DetailerTab& tab) const {
    DetectOptions options;
    options.confidence = tab.confidence;
    return options;
  }

  Detections detect(TabSetup& tab, const YoloInput* shared) {
    tab.detector = pass.detectors_.acquire(tab.tab->model, pass.switches_.keepDetector, control);
    return pass.detectors_.detect(*tab.detector, tab.detectorKey, current, detectOptions(*tab.tab),
                                  pass.switches_.detectCache, control, shared);
  }

  // `model` has the LoRA set of `prompt` applied (the text encoder's weights may carry it).
  const PromptConditioning& encode(const TabSetup& tab, const DetailerModel& model, const std::string& prompt,
                                   const std::string& negative, int width, int height) {
    std::ostringstream key;
    key << tab.modelKey << '\x1f' << prompt << '\x1f' << negative << '\x1f' << width << 'x'
        << height << '\x1f' << tab.request.clipSkip << '\x1f' << tab.request.steps;
    auto found = encodings.find(key.str());
    if (found != encodings.end()) return found->second;
    Request r = tab.request;
    r.prompt = prompt;
    r.negativePrompt = negative;
    r.width = width;
    r.height = height;
    auto encoded = encodePrompts(model.pipeline->conditioner(), r, width, height, control);
    return encodings.emplace(key.str(), std::move(encoded)).first->second;
  }

  InpaintSettings settingsFor(const TabSetup& tab, const DetailerModel& model, const at::Tensor& mask) const {
    const auto& t = *tab.tab;
    InpaintSettings settings;
    settings.maskBlurX = settings.maskBlurY = t.maskBlur;
    settings.onlyMasked = t.inpaintOnlyMasked;
    settings.onlyMaskedPadding = t.inpaintPadding;
    settings.fill = InpaintFill::Original;  // ADetailer's inpainting_fill = 1
    settings.resizeMode = ResizeMode::JustResize;
    const auto multiple = static_cast<int>(model.pipeline->model().sizeMultiple());
    settings.width = request.width;
    settings.height = request.height;
    if (!t.inpaintOnlyMasked) {
      // The whole picture is repainted at its own size (a different size would change the
      // picture's size).
      settings.width = current.width;
      settings.height = current.height;
    } else if (t.inpaintSize == DetailerInpaintSize::Custom) {
      settings.width = t.inpaintWidth;
      settings.height = t.inpaintHeight;
    } else if (t.inpaintSize == DetailerInpaintSize::MatchBox) {
      const auto blurred = blurMask(binarizeMask(mask), settings.maskBlurX, settings.maskBlurY);
      if (const auto region = getCropRegion(blurred, settings.onlyMaskedPadding)) {
        settings.width = roundUp(region->width(), multiple);
        settings.height = roundUp(region->height(), multiple);
      }
    }
    if (settings.width % multiple != 0 || settings.height % multiple != 0) {
      throw CelerityError(ErrorCode::InvalidArgument,
                          "inpaint size " + std::to_string(settings.width) + "x" + std::to_string(settings.height) +
                              " is not a multiple of " + std::to_string(multiple) + ", which this model needs",
                          tabWhere(tab.index, "inpaintWidth"));
    }
    return settings;
  }

  // ADetailer's mask steps for one tab's detections; records the regions for the overlay.
  std::vector<WorkItem> itemsFor(const TabSetup& tab, const Detections& detections) {
    StageScope stage(control, stages::kDetailMask);
    const auto& t = *tab.tab;
    auto regions = regionsFromDetections(detections);
    regions = filterByAreaRatio(std::move(regions), t.maskMinRatio, t.maskMaxRatio, current.width, current.height);
    regions = keepTopK(std::move(regions), t.maskTopK,
                       t.topKBy == DetailerTopKBy::Confidence ? TopKBy::Confidence : TopKBy::Area);
    regions = sortRegions(std::move(regions), static_cast<MaskSortOrder>(t.sortOrder), current.width, current.height);

    std::vector<Mask> masks;
    std::vector<DetailedRegion> described;
    for (const auto& region : regions) {
      auto mask = dilateErode(offsetMask(region.mask, t.xOffset, t.yOffset), t.dilateErode);
      if (mask.allBlack()) continue;
      DetailedRegion info;
      info.tab = tab.index;
      info.x1 = region.box[0];
      info.y1 = region.box[1];
      info.x2 = region.box[2];
      info.y2 = region.box[3];
      info.score = region.score;
      const auto& names = detections.classNames;
      info.label = region.classId >= 0 && static_cast<std::size_t>(region.classId) < names.size()
                       ? names[static_cast<std::size_t>(region.classId)]
                       : std::to_string(region.classId);
      described.push_back(std::move(info));
      masks.push_back(std::move(mask));
    }
    masks = mergeInvert(std::move(masks), static_cast<MaskMergeMode>(t.mergeMode));
    if (t.mergeMode != DetailerMaskMerge::None && !described.empty()) {
      // One merged mask: its region entry carries it, the others only their boxes.
      for (std::size_t i = 1; i < described.size(); ++i) output.detailedRegions.push_back(described[i]);
      described.resize(1);
    }

    std::vector<WorkItem> items;
    for (std::size_t j = 0; j < masks.size(); ++j) {
      auto& info = described[std::min(j, described.size() - 1)];
      info.mask = maskBytes(masks[j]);
      const auto& prompt = promptForRegion(tab.prompts, j);
      if (isSkipPrompt(prompt)) {
        info.skipped = true;
        ++stats.skipped;
        output.detailedRegions.push_back(info);
        continue;
      }
      output.detailedRegions.push_back(info);
      WorkItem item;
      item.tab = &tab;
      item.prompt = prompt;
      item.model = pass.models_(t.checkpointPath, t.vaePath, prompt);
      item.mask = std::move(masks[j]);
      item.maskTensor = maskTensor(item.mask);
      item.settings = settingsFor(tab, item.model, item.maskTensor);
      item.prepared = prepareInpaint(current, item.maskTensor, item.settings);
      item.preparedVersion = version;
      if (!item.prepared.masked) continue;  // blank after blurring: nothing to repaint
      item.prompts = &encode(tab, item.model, prompt, promptForRegion(tab.negatives, j), item.settings.width,
                             item.settings.height);
      const auto& rect = item.prepared.pasteRegion;
      item.candidate.x1 = rect ? rect->x1 : 0;
      item.candidate.y1 = rect ? rect->y1 : 0;
      item.candidate.x2 = rect ? rect->x2 : current.width;
      item.candidate.y2 = rect ? rect->y2 : current.height;
      std::ostringstream key;
      key << tab.modelKey << '|' << loraSetKey(prompt) << '|' << item.settings.width << 'x' << item.settings.height << '|'
          << tab.request.steps << '|' << t.denoisingStrength << '|' << tab.request.cfgScale << '|'
          << tab.request.sampler << '|' << tab.request.scheduler << '|' << t.noiseMultiplier.value_or(1.0) << '|'
          << scheduleSignature(item.prompts->cond) << '|' << scheduleSignature(item.prompts->uncond);
      item.candidate.groupKey = key.str();
      items.push_back(std::move(item));
    }
    return items;
  }

  void runItems(std::vector<WorkItem>& items) {
    std::vector<BatchCandidate> candidates;
    for (const auto& item : items) candidates.push_back(item.candidate);
    const auto batches = planDetailerBatches(candidates, pass.switches_.batchInpaint, pass.switches_.maxBatch);
    for (std::size_t b = 0; b < batches.size(); ++b) {
      std::vector<WorkItem*> batch;
      for (const auto index : batches[b]) batch.push_back(&items[index]);
      runBatch(batch, static_cast<int>(b), static_cast<int>(batches.size()));
    }
  }

  void runBatch(const std::vector<WorkItem*>& batch, int batchIndex, int batchCount) {
    control.throwIfCancelled(stages::kDetail);
    const auto& first = *batch.front();
    const auto& tab = *first.tab;
    // The batch shares one model and LoRA set (its group key); an earlier batch may have
    // applied another set since this one's prompts were encoded.
    const auto prepared = pass.models_(tab.tab->checkpointPath, tab.tab->vaePath, first.prompt);
    auto& model = prepared.pipeline->model();
    JobControl batchControl = control;
    batchControl.unetExecutor = prepared.unetExecutor;
    for (auto* item : batch) {
      if (item->preparedVersion != version) {  // an earlier region changed the picture
        item->prepared = prepareInpaint(current, item->maskTensor, item->settings);
        item->preparedVersion = version;
      }
    }
    const auto plan = SamplingPlan::forRequest(tab.request);
    const auto table = model.schedule(plan.tableFlavor);
    const auto sigmas = img2imgSigmas(plan, table, tab.request.steps, tab.tab->denoisingStrength, false);
    if (sigmas.empty()) return;  // strength 0 leaves the picture as it is

    std::vector<RgbImage> crops;
    std::vector<at::Tensor> masks;
    std::vector<std::uint64_t> seeds;
    std::vector<const ConditioningSchedule*> conds, unconds;
    const auto factor = model.spatialFactor();
    const auto latentWidth = first.settings.width / factor;
    const auto latentHeight = first.settings.height / factor;
    for (const auto* item : batch) {
      crops.push_back(item->prepared.image);
      masks.push_back(latentMask(item->prepared.mask, latentWidth, latentHeight));
      seeds.push_back(item->tab->seed);
      conds.push_back(&item->prompts->cond);
      unconds.push_back(&item->prompts->uncond);
    }
    at::Tensor init;
    {
      StageScope stage(control, stages::kDetailEncode);
      init = encodeImages(model, imagesToTensor(crops), batchControl);
    }
    const auto m = at::cat(masks).to(init.device(), init.scalar_type());
    BatchNoise noise(seeds, {model.latentChannels(), latentHeight, latentWidth},
                     at::TensorOptions().dtype(at::kFloat).device(init.device()));
    const auto initialNoise = noise.next() * tab.tab->noiseMultiplier.value_or(1.0);
    auto x = init + initialNoise * sigmas.front();

    at::Tensor latent;
    {
      StageScope stage(control, stages::kDetailSample);
      control.notifyPass(stages::kDetail, static_cast<int>(sigmas.size()) - 1, batchIndex, batchCount);
      CfgDenoiser denoiser(model.unet(), table, plan.timestepMode, stackSchedules(conds), stackSchedules(unconds),
                           tab.request.cfgScale, batchControl);
      const auto keep = init * (1.0 - m);
      denoiser.setPostProcess([keep, m](const at::Tensor& denoised) { return keep + denoised * m; });
      latent = runSampler(plan, denoiser, std::move(x), sigmas, noise, seeds.front(), batchControl);
    }
    std::vector<RgbImage> generated;
    {
      StageScope stage(control, stages::kDetailDecode);
      generated = tensorToImages(decodeLatents(model, latent, batchControl));
    }
    StageScope stage(control, stages::kDetailPaste);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      auto prepared = batch[i]->prepared;
      if (prepared.pasteRegion) prepared.overlayOriginal = current;
      current = finishInpaint(prepared, generated[i]);
      ++stats.regions;
    }
    ++version;
    ++stats.batches;
  }

  void runTabsOneByOne() {
    for (auto& tab : tabs) {
      StageScope stage(control, stages::kDetail);
      const auto detections = detect(tab, nullptr);
      auto items = itemsFor(tab, detections);
      runItems(items);
    }
  }

  // Every tab detects on the finished picture; YOLO models with the same input size share
  // one letterboxed input; regions of all tabs are planned together.
  void runTabsInOnePass() {
    StageScope stage(control, stages::kDetail);
    std::map<int, YoloInput> inputs;  // by letterbox size
    std::vector<Detections> detections;
    for (auto& tab : tabs) {
      tab.detector = pass.detectors_.acquire(tab.tab->model, pass.switches_.keepDetector, control);
      const YoloInput* shared = nullptr;
      if (auto* yolo = dynamic_cast<YoloDetector*>(tab.detector.get())) {
        const auto options = detectOptions(*tab.tab);
        auto found = inputs.find(options.imageSize);
        if (found == inputs.end()) {
          StageScope prepare(control, stages::kDetailDetect);
          found = inputs.emplace(options.imageSize, yolo->prepare(current, options)).first;
        }
        shared = &found->second;
      }
      detections.push_back(detect(tab, shared));
    }
    std::vector<WorkItem> items;
    for (std::size_t t = 0; t < tabs.size(); ++t) {
      auto tabItems = itemsFor(tabs[t], detections[t]);
      for (auto& item : tabItems) items.push_back(std::move(item));
    }
    runItems(items);
  }
};

DetailerPass::DetailerPass(DetailerModelProvider models, DetectorSet& detectors, DetailerSwitches switches)
    : models_(std::move(models)), detectors_(detectors), switches_(switches) {}

DetailerStats DetailerPass::run(GeneratedImage& image, const Request& request, const JobControl& control) {
  if (!request.detailer.active()) return {};
  c10::InferenceMode guard;
  Impl impl(*this, request, control, image);
  impl.setUpTabs();
  if (switches_.singlePass) {
    impl.runTabsInOnePass();
  } else {
    impl.runTabsOneByOne();
  }
  engineLog()->info("detailer: {} regions inpainted in {} batches, {} skipped (image {})", impl.stats.regions,
                    impl.stats.batches, impl.stats.skipped, image.index);
  image.rgb = std::move(impl.current.pixels);
  const auto entries = detailerInfotext(request.detailer);
  image.parameters.extra.insert(image.parameters.extra.end(), entries.begin(), entries.end());
  image.infotext = toInfotext(image.parameters);
  return impl.stats;
}

}  // namespace celerity
