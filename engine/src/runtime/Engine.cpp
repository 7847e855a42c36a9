#include "celerity/Engine.h"

#include <unistd.h>

#include <filesystem>
#include <map>
#include <optional>
#include <sstream>

#include <ATen/Context.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>
#include <torch/version.h>

#include <spdlog/spdlog.h>

#include "common/Log.h"
#include "conditioning/EncodingCache.h"
#include "detail/DetailerPass.h"
#include "detail/DetailerPrompts.h"
#include "detail/DetectorSet.h"
#include "metadata/OutputNaming.h"
#include "metadata/PngTextChunks.h"
#include "metadata/GenerationParametersMapping.h"
#include "pipeline/GenerationPipeline.h"
#include "pipeline/Img2Img.h"
#include "pipeline/JobParameters.h"
#include "pipeline/LoadedModel.h"
#include "lora/LoraPatcher.h"
#include "runtime/DeviceSupport.h"
#include "runtime/GraphedUNet.h"
#include "runtime/JobSetup.h"
#include "lora/LoraResolver.h"
#include "lora/PromptLoras.h"
#include "runtime/FileHashCache.h"
#include "runtime/ImageSaver.h"
#include "runtime/JobObserver.h"
#include "runtime/ModelCache.h"
#include "runtime/PreviewRenderer.h"
#include "runtime/StageProfiler.h"
#include "text/ClipTokenizer.h"

namespace celerity {
namespace {

std::int64_t physicalMemoryBytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long pageSize = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && pageSize > 0 ? static_cast<std::int64_t>(pages) * pageSize : std::int64_t{8} << 30;
}

at::Device parseDevice(const std::string& name) {
  try {
    at::Device device(name);
    if (device.is_cuda() && !at::hasCUDA()) {
      throw CelerityError(ErrorCode::InvalidArgument, "this build of LibTorch has no CUDA device", "device " + name);
    }
    return device;
  } catch (const c10::Error&) {
    throw CelerityError(ErrorCode::InvalidArgument, "unknown device '" + name + "' (cpu, cuda, cuda:N)",
                        "EngineOptions.device");
  }
}

std::string jobLabel(const Job& job) {
  const auto& r = job.request;
  const auto model = std::filesystem::path(r.checkpointPath).stem().string();
  if (job.kind == JobKind::LoadModel) return "load " + model;
  std::ostringstream label;
  label << (r.isInpaint() ? "inpaint" : r.isImg2Img() ? "img2img" : "txt2img") << ' ' << r.width << "×"
        << r.height << ", " << r.steps << " steps, " << r.sampler;
  if (r.hires.enabled) label << ", hires ×" << r.hires.scale;
  if (r.imageCount() > 1) label << ", " << r.imageCount() << " images";
  label << " — " << model;
  return label.str();
}

Error errorOf(const std::exception& e) {
  if (const auto* celerity = dynamic_cast<const CelerityError*>(&e)) return celerity->error();
  const std::string what = e.what();
  if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr || what.find("out of memory") != std::string::npos) {
    return {ErrorCode::OutOfMemory, "out of memory: " + what.substr(0, what.find('\n')), ""};
  }
  return {ErrorCode::Internal, what.substr(0, what.find('\n')), ""};
}

constexpr const char* kHalfUNetSuffix = "#unet-half";
constexpr const char* kLoadVaeStage = "load.vae";  // a standalone VAE file read
constexpr const char* kHashStage = "load.hash";     // a file's SHA-256 computed (not cached yet)

// The model cache's key: the file, and the UNet's precision (a half-precision UNet is another
// resident model, so that switching back to fp32 reloads exact weights).
std::string modelKey(const std::string& checkpointPath, const OptimizationSet& toggles) {
  std::error_code error;
  const auto canonical = std::filesystem::weakly_canonical(checkpointPath, error);
  const auto path = error ? checkpointPath : canonical.string();
  return toggles.enabled("unet.half") ? path + kHalfUNetSuffix : path;
}

std::string keyPath(const std::string& key) {
  const auto at = key.rfind(kHalfUNetSuffix);
  return at == std::string::npos ? key : key.substr(0, at);
}

bool skipsImg2Img(const Request& request) {
  return request.isImg2Img() && request.detailer.skipImg2Img && request.detailer.active();
}

// ADetailer's "Skip img2img": the init image itself, once per image of the job, for the
// detailer to work on.
GenerationResult initImagesAsResult(const Request& request, const LoadedModel& model, const JobControl& control) {
  validateRequest(request);
  RgbImage init;
  {
    StageScope stage(control, stages::kImageLoad);
    init = loadInitImage(request.img2img.initImagePath);
  }
  GenerationResult result;
  result.seed = GenerationPipeline::resolveSeed(request.seed);
  for (int i = 0; i < request.imageCount(); ++i) {
    GeneratedImage image;
    image.width = init.width;
    image.height = init.height;
    image.rgb = init.pixels;
    image.seed = result.seed + i;
    image.index = i;
    // "Size" stays the request's: the size the detailer processes crops at by default, so that
    // the parameters reproduce the job.
    image.parameters = jobParameters(request, model.name(), image.seed, control.extraParameters);
    image.infotext = toInfotext(image.parameters);
    result.images.push_back(std::move(image));
  }
  return result;
}

}  // namespace

struct Engine::State {
  EngineOptions options;
  at::Device device;
  ModelCache cache;
  std::shared_ptr<const ClipTokenizer> tokenizer;
  PreviewRenderer previews;  // keeps the TAESD decoders it loads
  DetectorSet detectors;     // ADetailer's detectors and recent detections

  struct StandaloneVae {
    std::string key;       // canonical path, device and dtype it was built for
    std::string fileName;  // "VAE" in the infotext
    std::string hash;      // "VAE hash": the file's SHA-256, first 10 hex digits (A1111)
    Vae vae{nullptr};
  };
  std::optional<StandaloneVae> standaloneVae;  // the last one used stays loaded
  FileHashCache hashes;

  // A1111's short hash of `path` (stage load.hash when it is computed, not cached); "" when
  // hashing is off.
  std::string shortHashOf(const std::string& path, const JobControl& control) {
    if (!options.hashFiles) return {};
    if (const auto cached = hashes.cached(path)) return FileHashCache::shortHash(*cached);
    StageScope stage(control, kHashStage);
    return FileHashCache::shortHash(hashes.sha256(path));
  }

  State(EngineOptions opts, at::Device dev, std::int64_t hostBudget, std::int64_t deviceBudget)
      : options(std::move(opts)),
        device(dev),
        cache(hostBudget, deviceBudget),
        previews(options.vaeApproxFolders),
        detectors(std::vector<std::filesystem::path>(options.detectorFolders.begin(), options.detectorFolders.end()),
                  options.haarCascadeDir, dev),
        hashes(options.hashCacheFile) {}

  std::shared_ptr<CachedModel> acquire(const Request& request, const OptimizationSet& toggles,
                                       const JobControl& control);
  JobResult runJob(const Job& job, StageProfiler& profiler);
  // Makes `entry`'s applied LoRA set the one `prompt` names (merged, or attached with
  // lora.unmerged), re-keys its text cache, and returns what the infotext needs.
  PromptLoraResult applyLoras(CachedModel& entry, const Request& request, const std::string& prompt,
                              const OptimizationSet& toggles, const JobControl& control);
  // Puts the VAE file `path` ("" = the checkpoint's own) into `entry`'s model and returns its
  // infotext entries ("VAE hash", "VAE"; none for the checkpoint's own).
  std::vector<std::pair<std::string, std::string>> useVae(CachedModel& entry, const std::string& path,
                                                          const JobControl& control);
  // `entry`'s CUDA-graph executor for its current weights (null: eager UNet calls).
  UNetExecutor* unetExecutorFor(CachedModel& entry, const OptimizationSet& toggles, const JobSetup& setup);
  void detailImages(const Job& job, CachedModel& entry, const OptimizationSet& toggles, const JobSetup& setup,
                    const JobControl& control, std::vector<GeneratedImage>& images);
};

PromptLoraResult Engine::State::applyLoras(CachedModel& entry, const Request& request, const std::string& prompt,
                                           const OptimizationSet& toggles, const JobControl& control) {
  if (!entry.lora) entry.lora = std::make_shared<LoraPatcher>(entry.model);
  LoraApplyOptions loraOptions;
  loraOptions.mergeCache = toggles.enabled("lora.merge_cache");
  loraOptions.unmerged = toggles.enabled("lora.unmerged");
  LoraResolver resolver(std::vector<std::filesystem::path>(options.loraFolders.begin(), options.loraFolders.end()));
  Request withPrompt = request;
  withPrompt.prompt = prompt;
  auto loras = applyPromptLoras(withPrompt, resolver, *entry.lora, loraOptions, control);
  entry.pipeline->conditioner().setIdentity(entry.model->name() + entry.lora->stateId());
  return loras;
}

std::vector<std::pair<std::string, std::string>> Engine::State::useVae(CachedModel& entry, const std::string& path,
                                                                      const JobControl& control) {
  auto& model = *entry.model;
  if (path.empty()) {
    model.useVae(Vae{nullptr}, {});
    return {};
  }
  std::error_code error;
  const auto canonical = std::filesystem::weakly_canonical(path, error);
  const auto& load = model.loadOptions();
  const auto key = (error ? path : canonical.string()) + "|" + load.device.str() + "|" +
                   std::string(c10::toString(load.dtype));
  if (!standaloneVae || standaloneVae->key != key) {
    StageScope stage(control, kLoadVaeStage);
    standaloneVae.reset();  // one standalone VAE resident at a time
    StandaloneVae loaded;
    loaded.key = key;
    loaded.vae = model.loadCompatibleVae(path);
    loaded.fileName = std::filesystem::path(path).filename().string();
    loaded.hash = shortHashOf(path, control);
    engineLog()->info("loaded VAE {} ({})", path, loaded.hash);
    standaloneVae = std::move(loaded);
  }
  model.useVae(standaloneVae->vae, standaloneVae->fileName);
  if (standaloneVae->hash.empty()) return {{"VAE", standaloneVae->fileName}};
  return {{"VAE hash", standaloneVae->hash}, {"VAE", standaloneVae->fileName}};
}

UNetExecutor* Engine::State::unetExecutorFor(CachedModel& entry, const OptimizationSet& toggles,
                                             const JobSetup& setup) {
  if (!setup.cudaGraphs) return nullptr;
  if (!entry.graphs) entry.graphs = makeCudaGraphUNet();
  if (!entry.graphs) return nullptr;
  // New weight memory (channels-last, other LoRA hooks) means new captures.
  std::string version = entry.lora ? entry.lora->unetStateId() : "";
  if (toggles.enabled("lora.unmerged")) version += "|hooks";
  if (setup.switches.channelsLast) version += "|nhwc";
  entry.graphs->setWeightsVersion(version);
  return entry.graphs.get();
}

void Engine::State::detailImages(const Job& job, CachedModel& entry, const OptimizationSet& toggles,
                                 const JobSetup& setup, const JobControl& control,
                                 std::vector<GeneratedImage>& images) {
  DetailerSwitches switches;
  switches.keepDetector = toggles.enabled("detail.keep_detector");
  switches.singlePass = toggles.enabled("detail.single_pass");
  switches.detectCache = toggles.enabled("detail.detect_cache");
  switches.batchInpaint = toggles.enabled("detail.batch_inpaint");
  std::map<std::string, std::shared_ptr<CachedModel>> held;  // tabs' own checkpoints stay loaded for the job
  // Each region's model gets exactly its prompt's LoRAs and its VAE (the job's model is set back
  // to the job's prompt by the next job, as every job sets its own). Regions asking for what a
  // model already has skip the preparation (no folder lookups per region).
  std::map<const CachedModel*, std::string> preparedFor;
  const auto prepare = [&](const std::optional<std::string>& checkpoint, const std::optional<std::string>& vae,
                           const std::string& prompt) {
    CachedModel* target = &entry;
    if (checkpoint) {
      auto& slot = held[*checkpoint];
      if (!slot) {
        Request other = job.request;
        other.checkpointPath = *checkpoint;
        slot = acquire(other, toggles, control);
        setUNetMemoryFormat(*slot->model, setup.switches.channelsLast);
      }
      target = slot.get();
    }
    const auto vaePath = vae.value_or(job.request.vaePath);
    auto& prepared = preparedFor[target];
    const auto wanted = vaePath + '\x1f' + loraSetKey(prompt);
    if (prepared != wanted) {
      applyLoras(*target, job.request, prompt, toggles, control);
      useVae(*target, vaePath, control);
      prepared = wanted;
    }
    DetailerModel model;
    model.pipeline = target->pipeline.get();
    model.unetExecutor = unetExecutorFor(*target, toggles, setup);
    return model;
  };
  DetailerPass detailer(prepare, detectors, switches);
  for (auto& image : images) detailer.run(image, job.request, control);
}

std::shared_ptr<CachedModel> Engine::State::acquire(const Request& request, const OptimizationSet& toggles,
                                                    const JobControl& control) {
  if (request.checkpointPath.empty()) {
    throw CelerityError(ErrorCode::InvalidArgument, "no checkpoint selected", "Request.checkpointPath");
  }
  const auto key = modelKey(request.checkpointPath, toggles);
  if (auto entry = cache.find(key)) return entry;

  StageScope stage(control, stages::kLoadCheckpoint);
  const auto start = std::chrono::steady_clock::now();
  if (!tokenizer) tokenizer = ClipTokenizer::loadDefault(options.clipVocabularyPath);
  const auto path = keyPath(key);
  std::error_code error;
  const auto fileBytes = static_cast<std::int64_t>(std::filesystem::file_size(path, error));
  if (!error) cache.makeRoom(device.is_cuda() ? 0 : fileBytes, device.is_cuda() ? fileBytes : 0);

  CachedModel entry;
  entry.key = key;
  entry.model = LoadedModel::fromCheckpoint(path, jobSetupFor(toggles, device).load);
  entry.pipeline = std::make_shared<GenerationPipeline>(entry.model, tokenizer);
  const auto footprint = measureFootprint(*entry.model);
  entry.hostBytes = footprint.hostBytes;
  entry.deviceBytes = footprint.deviceBytes;
  entry.loadMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  engineLog()->info("loaded {} ({} MiB) in {:.0f} ms", key, (entry.hostBytes + entry.deviceBytes) >> 20, entry.loadMs);
  return cache.insert(std::move(entry));
}

JobResult Engine::State::runJob(const Job& job, StageProfiler& profiler) {
  JobResult result;
  auto toggles = OptimizationSet::resolve(job.request.optimizations);
  toggles.restrictTo(capabilitiesOf(device));
  profiler.setOptimizations(toggles.enabledIds());
  applySystemToggles(device, toggles);
  const auto setup = jobSetupFor(toggles, device);
  AttentionKernelScope attention(setup.attention);

  std::shared_ptr<CachedModel> entry;
  const auto renderPreview = [&](const at::Tensor& denoised) { return previews.render(denoised, job.previews, *entry->model); };
  JobObserver observer(job.id, job.events, profiler, job.previews, toggles.enabled("preview.throttle"), renderPreview);
  JobControl control;
  control.observer = &observer;
  if (job.cancel) {
    control.cancel = &job.cancel->allFlag();
    control.stopAfterBatch = &job.cancel->afterImageFlag();
  }
  control.switches = setup.switches;

  if (!toggles.enabled("cache.keep_loaded")) cache.evict(modelKey(job.request.checkpointPath, toggles));
  entry = acquire(job.request, toggles, control);
  // Hashed with the load (A1111 does too), so that a preload also takes it off the first job.
  const auto modelHash = shortHashOf(keyPath(entry->key), control);
  if (job.kind == JobKind::LoadModel) return result;

  // LoRAs named in the prompt: merged (or attached) before the text is encoded; a model's
  // patcher keeps the current set, so an unchanged set costs nothing.
  const auto loras = applyLoras(*entry, job.request, job.request.prompt, toggles, control);
  control.extraNetworksHandled = true;
  control.extraParameters.clear();
  if (!modelHash.empty()) control.extraParameters.emplace_back("Model hash", modelHash);
  control.extraParameters.insert(control.extraParameters.end(), loras.extraGenerationParams.begin(),
                                 loras.extraGenerationParams.end());
  const auto vaeParameters = useVae(*entry, job.request.vaePath, control);
  control.extraParameters.insert(control.extraParameters.end(), vaeParameters.begin(), vaeParameters.end());

  setUNetMemoryFormat(*entry->model, control.switches.channelsLast);
  control.unetExecutor = unetExecutorFor(*entry, toggles, setup);
  entry->pipeline->conditioner().cache().setEnabled(setup.textCache);
  auto generated = skipsImg2Img(job.request) ? initImagesAsResult(job.request, *entry->model, control)
                                              : entry->pipeline->run(job.request, control);
  if (job.request.detailer.active()) detailImages(job, *entry, toggles, setup, control, generated.images);
  result.output.images = std::move(generated.images);
  result.output.stoppedEarly = generated.stoppedEarly;
  if (job.saveImages && !job.request.outputFolder.empty()) {
    // A failed save keeps the images in the output and fails the job (runtime/ImageSaver.h).
    auto saved = saveImages(job.request.outputFolder, result.output.images, control);
    result.output.savedPaths = std::move(saved.paths);
    if (saved.error) result.error = std::move(*saved.error);
  } else {
    result.output.savedPaths.assign(result.output.images.size(), std::string());
  }
  if (!toggles.enabled("cache.keep_loaded")) cache.evict(entry->key);
  return result;
}

Engine::Engine(EngineOptions options) {
  const auto device = parseDevice(options.device);
  const auto host = options.hostBudgetBytes > 0 ? options.hostBudgetBytes : physicalMemoryBytes() / 2;
  // On a GPU the default budget is 90 % of its memory (models beyond it are unloaded, least
  // recently used first); where the size is unknown the cache is unbounded.
  const auto deviceTotal = deviceMemoryBytes(device);
  const auto deviceBudget = options.deviceBudgetBytes > 0 ? options.deviceBudgetBytes
                            : deviceTotal > 0         ? deviceTotal / 10 * 9
                                                      : INT64_MAX;
  state_ = std::make_unique<State>(std::move(options), device, host, deviceBudget);
  state_->cache.onEvict = [](const std::string& key) { engineLog()->info("unloaded {}", key); };
}

Engine::~Engine() = default;

JobResult Engine::run(const Job& job) {
  StageProfiler profiler(makeDeviceTimer(state_->device));
  profiler.setLabel(jobLabel(job));
  profiler.setDevice(state_->device.str());
  if (job.events != nullptr) job.events->onStarted(job.id, jobLabel(job));
  JobResult result;
  try {
    if (job.kind != JobKind::Generate && job.kind != JobKind::LoadModel) {
      throw CelerityError(ErrorCode::InvalidArgument, "unknown job kind", "Job.kind");
    }
    result = state_->runJob(job, profiler);
    result.outcome = result.error.code == ErrorCode::Invalid ? JobOutcome::Finished : JobOutcome::Failed;
  } catch (const std::exception& e) {
    result.error = errorOf(e);
    result.outcome = result.error.code == ErrorCode::Cancelled ? JobOutcome::Cancelled : JobOutcome::Failed;
  }
  profiler.finish();
  result.output.profile = profiler.profile();
  if (job.events != nullptr) {
    switch (result.outcome) {
      case JobOutcome::Finished: job.events->onFinished(job.id, result.output); break;
      case JobOutcome::Cancelled: job.events->onCancelled(job.id, result.output.profile); break;
      default: job.events->onFailed(job.id, result.error, result.output); break;
    }
  }
  if (result.outcome == JobOutcome::Failed) engineLog()->error("job {} failed: {}", job.id, result.error.toString());
  return result;
}

std::vector<LoadedModelInfo> Engine::loadedModels() const { return state_->cache.describe(); }

DeviceCapabilities Engine::capabilities() const { return capabilitiesOf(state_->device); }

void Engine::unloadAll() { state_->cache.clear(); }

void Engine::setMemoryBudget(std::int64_t hostBytes, std::int64_t deviceBytes) {
  state_->cache.setBudget(hostBytes, deviceBytes > 0 ? deviceBytes : INT64_MAX);
}

const EngineOptions& Engine::options() const { return state_->options; }

}  // namespace celerity
