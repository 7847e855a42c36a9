#include "celerity/Engine.h"

#include <unistd.h>

#include <filesystem>
#include <sstream>

#include <ATen/Context.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>
#include <torch/version.h>

#include <spdlog/spdlog.h>

#include "common/Log.h"
#include "conditioning/EncodingCache.h"
#include "metadata/OutputNaming.h"
#include "metadata/PngTextChunks.h"
#include "pipeline/GenerationPipeline.h"
#include "pipeline/LoadedModel.h"
#include "lora/LoraPatcher.h"
#include "lora/LoraResolver.h"
#include "lora/PromptLoras.h"
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

PipelineSwitches switchesOf(const OptimizationSet& toggles) {
  PipelineSwitches switches;
  switches.cfgBatch = toggles.enabled("unet.cfg_batch");
  switches.channelsLast = toggles.enabled("unet.channels_last");
  switches.tiledVae = toggles.enabled("vae.tiled");
  return switches;
}

// Conv weights in NHWC order (unet.channels_last) or back; only when the state changes.
void setUNetMemoryFormat(LoadedModel& model, bool channelsLast) {
  const auto format = channelsLast ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
  for (auto& parameter : model.unet()->parameters()) {
    if (parameter.dim() == 4 && !parameter.is_contiguous(format)) parameter.set_data(parameter.contiguous(format));
  }
}

}  // namespace

struct Engine::State {
  EngineOptions options;
  at::Device device;
  ModelCache cache;
  std::shared_ptr<const ClipTokenizer> tokenizer;
  PreviewRenderer previews;  // keeps the TAESD decoders it loads

  State(EngineOptions opts, at::Device dev, std::int64_t hostBudget, std::int64_t deviceBudget)
      : options(std::move(opts)), device(dev), cache(hostBudget, deviceBudget), previews(options.vaeApproxFolders) {}

  std::shared_ptr<CachedModel> acquire(const Request& request, const OptimizationSet& toggles,
                                       const JobControl& control);
  JobResult runJob(const Job& job, StageProfiler& profiler);
  std::vector<std::string> save(const Request& request, const std::vector<GeneratedImage>& images,
                                const JobControl& control);
};

std::shared_ptr<CachedModel> Engine::State::acquire(const Request& request, const OptimizationSet& toggles,
                                                    const JobControl& control) {
  if (request.checkpointPath.empty()) {
    throw CelerityError(ErrorCode::InvalidArgument, "no checkpoint selected", "Request.checkpointPath");
  }
  std::error_code error;
  const auto canonical = std::filesystem::weakly_canonical(request.checkpointPath, error);
  const auto key = error ? request.checkpointPath : canonical.string();
  if (auto entry = cache.find(key)) return entry;

  StageScope stage(control, stages::kLoadCheckpoint);
  const auto start = std::chrono::steady_clock::now();
  if (!tokenizer) tokenizer = ClipTokenizer::loadDefault(options.clipVocabularyPath);
  const auto fileBytes = static_cast<std::int64_t>(std::filesystem::file_size(key, error));
  if (!error) cache.makeRoom(device.is_cuda() ? 0 : fileBytes, device.is_cuda() ? fileBytes : 0);

  LoadOptions load;
  load.device = device;
  load.zeroCopy = toggles.enabled("load.mmap");
  load.parallel = toggles.enabled("load.parallel");
  CachedModel entry;
  entry.key = key;
  entry.model = LoadedModel::fromCheckpoint(key, load);
  entry.pipeline = std::make_shared<GenerationPipeline>(entry.model, tokenizer);
  const auto footprint = measureFootprint(*entry.model);
  entry.hostBytes = footprint.hostBytes;
  entry.deviceBytes = footprint.deviceBytes;
  entry.loadMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  engineLog()->info("loaded {} ({} MiB) in {:.0f} ms", key, (entry.hostBytes + entry.deviceBytes) >> 20, entry.loadMs);
  return cache.insert(std::move(entry));
}

std::vector<std::string> Engine::State::save(const Request& request, const std::vector<GeneratedImage>& images,
                                             const JobControl& control) {
  std::vector<std::string> paths;
  std::error_code error;
  std::filesystem::create_directories(request.outputFolder, error);
  if (error) {
    throw CelerityError(ErrorCode::FileUnreadable, "cannot create the output folder: " + error.message(),
                        request.outputFolder);
  }
  for (const auto& image : images) {
    StageScope stage(control, stages::kSave);
    const auto path = nextOutputPath(request.outputFolder, image.seed);
    writePngWithParameters(path, image.rgb, image.width, image.height, image.infotext);
    paths.push_back(path.string());
  }
  return paths;
}

JobResult Engine::State::runJob(const Job& job, StageProfiler& profiler) {
  JobResult result;
  const auto toggles = OptimizationSet::resolve(job.request.optimizations);
  profiler.setOptimizations(toggles.enabledIds());

  std::shared_ptr<CachedModel> entry;
  const auto renderPreview = [&](const at::Tensor& denoised) { return previews.render(denoised, job.previews, *entry->model); };
  JobObserver observer(job.id, job.events, profiler, job.previews, toggles.enabled("preview.throttle"), renderPreview);
  JobControl control;
  control.observer = &observer;
  if (job.cancel) {
    control.cancel = &job.cancel->allFlag();
    control.stopAfterBatch = &job.cancel->afterImageFlag();
  }
  control.switches = switchesOf(toggles);

  if (!toggles.enabled("cache.keep_loaded")) {
    std::error_code error;
    const auto canonical = std::filesystem::weakly_canonical(job.request.checkpointPath, error);
    cache.evict(error ? job.request.checkpointPath : canonical.string());
  }
  entry = acquire(job.request, toggles, control);
  if (job.kind == JobKind::LoadModel) return result;

  // LoRAs named in the prompt: merged (or attached) before the text is encoded; a model's
  // patcher keeps the current set, so an unchanged set costs nothing.
  if (!entry->lora) entry->lora = std::make_shared<LoraPatcher>(entry->model);
  LoraApplyOptions loraOptions;
  loraOptions.mergeCache = toggles.enabled("lora.merge_cache");
  loraOptions.unmerged = toggles.enabled("lora.unmerged");
  LoraResolver resolver(std::vector<std::filesystem::path>(options.loraFolders.begin(), options.loraFolders.end()));
  const auto loras = applyPromptLoras(job.request, resolver, *entry->lora, loraOptions, control);
  entry->pipeline->conditioner().setIdentity(entry->model->name() + entry->lora->stateId());
  control.extraNetworksHandled = true;
  control.extraParameters = loras.extraGenerationParams;

  setUNetMemoryFormat(*entry->model, control.switches.channelsLast);
  entry->pipeline->conditioner().cache().setEnabled(toggles.enabled("text.cache"));
  auto generated = entry->pipeline->run(job.request, control);
  result.output.images = std::move(generated.images);
  result.output.stoppedEarly = generated.stoppedEarly;
  if (job.saveImages && !job.request.outputFolder.empty()) {
    result.output.savedPaths = save(job.request, result.output.images, control);
  } else {
    result.output.savedPaths.assign(result.output.images.size(), std::string());
  }
  if (!toggles.enabled("cache.keep_loaded")) cache.evict(entry->key);
  return result;
}

Engine::Engine(EngineOptions options) {
  const auto device = parseDevice(options.device);
  const auto host = options.hostBudgetBytes > 0 ? options.hostBudgetBytes : physicalMemoryBytes() / 2;
  // Device memory is not queried here (no CUDA code in this unit): 0 leaves the cache
  // unbounded on the device until the memory policy sets a budget.
  const auto deviceBudget = options.deviceBudgetBytes > 0 ? options.deviceBudgetBytes : INT64_MAX;
  state_ = std::make_unique<State>(std::move(options), device, host, deviceBudget);
  state_->cache.onEvict = [](const std::string& key) { engineLog()->info("unloaded {}", key); };
}

Engine::~Engine() = default;

JobResult Engine::run(const Job& job) {
  StageProfiler profiler;
  profiler.setLabel(jobLabel(job));
  profiler.setDevice(state_->device.str());
  if (job.events != nullptr) job.events->onStarted(job.id, jobLabel(job));
  JobResult result;
  try {
    if (job.kind != JobKind::Generate && job.kind != JobKind::LoadModel) {
      throw CelerityError(ErrorCode::InvalidArgument, "unknown job kind", "Job.kind");
    }
    result = state_->runJob(job, profiler);
    result.outcome = JobOutcome::Finished;
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

DeviceCapabilities Engine::capabilities() const {
  DeviceCapabilities capabilities;
  capabilities.cuda = state_->device.is_cuda();
#ifdef TORCH_VERSION_MAJOR
  capabilities.torchMajor = TORCH_VERSION_MAJOR;
#endif
  return capabilities;
}

void Engine::unloadAll() { state_->cache.clear(); }

void Engine::setMemoryBudget(std::int64_t hostBytes, std::int64_t deviceBytes) {
  state_->cache.setBudget(hostBytes, deviceBytes > 0 ? deviceBytes : INT64_MAX);
}

const EngineOptions& Engine::options() const { return state_->options; }

}  // namespace celerity
