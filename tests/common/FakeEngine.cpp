#include "common/FakeEngine.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace celerity::testing {

void FakeEngineScript::setHold(bool hold) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    hold_ = hold;
  }
  changed_.notify_all();
}

std::vector<JobId> FakeEngineScript::ranJobs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return ran_;
}

std::vector<Request> FakeEngineScript::ranRequests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

std::vector<JobKind> FakeEngineScript::ranKinds() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return kinds_;
}

int FakeEngineScript::loadCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return loads_;
}

void FakeEngineScript::waitWhileHeld(const CancelToken* cancel) {
  std::unique_lock<std::mutex> lock(mutex_);
  // The token is set without notifying us: look at it every few milliseconds.
  while (hold_ && (cancel == nullptr || cancel->mode() == CancelMode::None)) {
    changed_.wait_for(lock, std::chrono::milliseconds(5));
  }
}

void FakeEngineScript::record(const Job& job) {
  std::lock_guard<std::mutex> lock(mutex_);
  ran_.push_back(job.id);
  kinds_.push_back(job.kind);
  requests_.push_back(job.request);
}

void FakeEngineScript::countLoad() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++loads_;
}

// Builds the job's profile while reporting each span to the sink, as the engine's profiler.
class FakeEngine::Recorder {
 public:
  explicit Recorder(const Job& job) : job_(job), start_(std::chrono::steady_clock::now()) {}

  double nowMs() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  }
  int begin(const std::string& name, int step = -1) {
    ProfileSpan span;
    span.name = name;
    span.parent = open_.empty() ? -1 : open_.back();
    span.depth = static_cast<int>(open_.size());
    span.startMs = nowMs();
    span.endMs = span.startMs;
    span.step = step;
    profile.spans.push_back(span);
    open_.push_back(static_cast<int>(profile.spans.size()) - 1);
    if (job_.events) job_.events->onStage(job_.id, span, false);
    return open_.back();
  }
  void end() {
    ProfileSpan& span = profile.spans[static_cast<std::size_t>(open_.back())];
    open_.pop_back();
    span.endMs = nowMs();
    if (job_.events) job_.events->onStage(job_.id, span, true);
  }
  // Closes whatever is open (a cancelled or failed job) and stamps the wall time.
  JobProfile finish() {
    while (!open_.empty()) end();
    profile.wallMs = nowMs();
    return profile;
  }

  JobProfile profile;

 private:
  const Job& job_;
  std::chrono::steady_clock::time_point start_;
  std::vector<int> open_;
};

void FakeEngine::addDetailedRegions(const DetailerParams& detailer, GeneratedImage& image) {
  for (std::size_t t = 0; t < detailer.tabs.size(); ++t) {
    if (!detailer.tabs[t].enabled) continue;
    const int x1 = std::min(image.width - 1, 4 + 16 * static_cast<int>(t));
    const int x2 = std::min(image.width, x1 + kRegionSide);
    const int y1 = std::min(image.height - 1, 4);
    const int y2 = std::min(image.height, y1 + kRegionSide);
    DetailedRegion region;
    region.tab = static_cast<int>(t);
    region.x1 = static_cast<float>(x1);
    region.y1 = static_cast<float>(y1);
    region.x2 = static_cast<float>(x2);
    region.y2 = static_cast<float>(y2);
    region.score = 0.9f - 0.1f * static_cast<float>(t);
    region.label = detailer.tabs[t].model == kBuiltinFaceDetector ? "face" : "object";
    region.mask.assign(static_cast<std::size_t>(image.width) * image.height, 0);
    for (int y = y1; y < y2; ++y) {
      for (int x = x1; x < x2; ++x) region.mask[static_cast<std::size_t>(y) * image.width + x] = 255;
    }
    image.detailedRegions.push_back(std::move(region));
  }
}

FakeEngine::FakeEngine(std::shared_ptr<FakeEngineScript> script) : script_(std::move(script)) {}

std::vector<LoadedModelInfo> FakeEngine::loadedModels() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<LoadedModelInfo> models;
  for (const auto& path : loaded_) {
    LoadedModelInfo info;
    info.path = path;
    info.family = "SD 1.x";
    info.hostBytes = 1 << 20;
    models.push_back(info);
  }
  return models;
}

void FakeEngine::unloadAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  loaded_.clear();
}

JobResult FakeEngine::run(const Job& job) {
  script_->record(job);
  Recorder recorder(job);
  recorder.profile.label = job.kind == JobKind::LoadModel ? "load " + job.request.checkpointPath : "fake txt2img";
  recorder.profile.device = "fake";
  if (job.events) job.events->onStarted(job.id, recorder.profile.label);

  JobResult result;
  const auto endWith = [&](JobOutcome outcome, Error error = {}) {
    result.outcome = outcome;
    result.error = std::move(error);
    result.output.profile = recorder.finish();
    if (job.events) {
      if (outcome == JobOutcome::Finished) job.events->onFinished(job.id, result.output);
      if (outcome == JobOutcome::Cancelled) job.events->onCancelled(job.id, result.output.profile);
      if (outcome == JobOutcome::Failed) job.events->onFailed(job.id, result.error, result.output);
    }
    return result;
  };
  const auto cancelMode = [&]() { return job.cancel ? job.cancel->mode() : CancelMode::None; };

  bool loaded = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    loaded = std::find(loaded_.begin(), loaded_.end(), job.request.checkpointPath) != loaded_.end();
  }
  if (!loaded) {
    recorder.begin("load.checkpoint");
    script_->countLoad();
    if (job.request.checkpointPath.find("missing") != std::string::npos) {
      return endWith(JobOutcome::Failed,
                     Error{ErrorCode::FileNotFound, "no such checkpoint", job.request.checkpointPath});
    }
    std::lock_guard<std::mutex> lock(mutex_);
    loaded_.push_back(job.request.checkpointPath);
    recorder.end();
  }
  if (job.kind == JobKind::LoadModel) return endWith(JobOutcome::Finished);

  const Request& r = job.request;
  recorder.begin("text.encode");
  recorder.end();
  for (int batch = 0; batch < r.batchCount; ++batch) {
    recorder.begin("sample");
    for (int step = 1; step <= r.steps; ++step) {
      if (batch == 0 && step == 1) script_->waitWhileHeld(job.cancel.get());
      if (cancelMode() == CancelMode::CancelAll) return endWith(JobOutcome::Cancelled);
      recorder.begin("sample.step", step - 1);
      recorder.end();
      if (job.events) {
        ProgressEvent progress;
        progress.pass = "sample";
        progress.step = step;
        progress.steps = r.steps;
        progress.batch = batch;
        progress.batches = r.batchCount;
        progress.itPerSecond = 10.0;
        progress.elapsedMs = recorder.nowMs();
        progress.etaMs = 100.0 * (r.steps - step);
        job.events->onProgress(job.id, progress);
        PreviewEvent preview;
        preview.pass = "sample";
        preview.step = step;
        preview.steps = r.steps;
        preview.batch = batch;
        preview.method = PreviewMethod::Projection;
        preview.width = kPreviewSide;
        preview.height = kPreviewSide;
        preview.rgb.assign(kPreviewSide * kPreviewSide * 3, static_cast<std::uint8_t>(step * 10));
        job.events->onPreview(job.id, preview);
      }
      if (r.prompt.find("FAIL") != std::string::npos) {
        return endWith(JobOutcome::Failed, Error{ErrorCode::InvalidArgument, "scripted failure", "FakeEngine"});
      }
    }
    recorder.end();
    recorder.begin("vae.decode");
    recorder.end();
    for (int row = 0; row < r.batchSize; ++row) {
      GeneratedImage image;
      image.width = r.width / 8;
      image.height = r.height / 8;
      image.index = batch * r.batchSize + row;
      image.seed = (r.seed < 0 ? kFirstSeed : r.seed) + image.index;
      image.rgb.assign(static_cast<std::size_t>(image.width) * image.height * 3, 128);
      image.parameters.prompt = r.prompt;
      image.parameters.seed = image.seed;
      addDetailedRegions(r.detailer, image);
      result.output.images.push_back(std::move(image));
      result.output.savedPaths.emplace_back();
    }
    if (cancelMode() == CancelMode::FinishCurrentImage && batch + 1 < r.batchCount) {
      result.output.stoppedEarly = true;
      break;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++uses_;
  }
  return endWith(JobOutcome::Finished);
}

}  // namespace celerity::testing
