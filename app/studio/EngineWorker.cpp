#include "EngineWorker.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "StudioMetaTypes.h"
#include "ThreadInbox.h"

namespace celerity::studio {

// The job's JobEventSink: forwards each engine event as a signal of the worker. Makes sure a
// job ends in exactly one final signal even if the engine forgets one.
class EngineWorker::Sink final : public JobEventSink {
 public:
  explicit Sink(EngineWorker& worker) : worker_(worker) {}

  void onStarted(JobId job, const std::string& label) override {
    worker_.emitToGui(&EngineWorker::started, job, QString::fromStdString(label));
  }
  void onProgress(JobId job, const ProgressEvent& progress) override {
    worker_.emitToGui(&EngineWorker::progress, job, progress);
  }
  void onPreview(JobId job, const PreviewEvent& preview) override {
    worker_.emitToGui(&EngineWorker::preview, job, preview);
  }
  void onStage(JobId job, const ProfileSpan& span, bool ended) override {
    worker_.emitToGui(&EngineWorker::stage, job, span, ended);
  }
  void onFinished(JobId job, const JobOutput& output) override {
    if (ended_) return;
    ended_ = true;
    worker_.emitToGui(&EngineWorker::finished, job, output);
  }
  void onCancelled(JobId job, const JobProfile& profile) override {
    if (ended_) return;
    ended_ = true;
    worker_.emitToGui(&EngineWorker::cancelled, job, profile);
  }
  void onFailed(JobId job, const Error& error, const JobOutput& partial) override {
    if (ended_) return;
    ended_ = true;
    worker_.emitToGui(&EngineWorker::failed, job, error, partial);
  }

  bool ended() const { return ended_; }

 private:
  EngineWorker& worker_;
  bool ended_ = false;
};

EngineWorker::EngineWorker(EngineFactory factory, QObject* parent)
    : QObject(parent), factory_(std::move(factory)), inbox_(new ThreadInbox(this)) {}

EngineWorker::~EngineWorker() = default;

void EngineWorker::post(std::function<void()> task) { inbox_->post(std::move(task)); }

template <typename Signal, typename... Args>
void EngineWorker::emitToGui(Signal signal, Args... args) {
  if (guiInbox_ == nullptr) {
    (this->*signal)(std::move(args)...);
    return;
  }
  guiInbox_->post([this, signal, args...]() mutable { (this->*signal)(std::move(args)...); });
}

void EngineWorker::initialize() {
  if (initialized_) return;
  initialized_ = true;
  try {
    if (!factory_) throw CelerityError(ErrorCode::Internal, "no engine factory", "EngineWorker");
    engine_ = factory_();
    if (!engine_) throw CelerityError(ErrorCode::Internal, "the engine factory made no engine", "EngineWorker");
    emitToGui(&EngineWorker::engineReady, engine_->capabilities());
  } catch (const CelerityError& e) {
    emitToGui(&EngineWorker::engineFailed, e.error());
  } catch (const std::exception& e) {
    emitToGui(&EngineWorker::engineFailed, Error{ErrorCode::Internal, e.what(), "EngineWorker"});
  }
}

void EngineWorker::runJob(celerity::Job job) {
  initialize();
  Sink sink(*this);
  job.events = &sink;
  if (!engine_) {
    sink.onFailed(job.id, Error{ErrorCode::Internal, "the engine could not be started", "EngineWorker"}, JobOutput{});
  } else {
    try {
      const JobResult result = engine_->run(job);
      // The engine reports through the sink; this only covers one that forgot to.
      switch (result.outcome) {
        case JobOutcome::Finished: sink.onFinished(job.id, result.output); break;
        case JobOutcome::Cancelled: sink.onCancelled(job.id, result.output.profile); break;
        default: sink.onFailed(job.id, result.error, result.output); break;
      }
    } catch (const CelerityError& e) {
      sink.onFailed(job.id, e.error(), {});
    } catch (const std::exception& e) {
      sink.onFailed(job.id, Error{ErrorCode::Internal, e.what(), "engine"}, {});
    }
    queryLoadedModels();
  }
  emitToGui(&EngineWorker::jobDone, job.id);
}

void EngineWorker::runAb(JobId id, const Request& request, const AbSettings& settings,
                         const std::shared_ptr<CancelToken>& cancel, const QString& label) {
  initialize();
  emitToGui(&EngineWorker::started, id, label);
  if (!engine_) {
    emitToGui(&EngineWorker::failed, id, Error{ErrorCode::Internal, "the engine could not be started", "EngineWorker"}, JobOutput{});
  } else {
    const int arms = settings.toggles.empty() ? 1 : 2;
    const int total = arms * (std::max(0, settings.warmup) + std::max(0, settings.repeat));
    int done = 0;
    const AbProgress progress = [&](const std::string& arm, int run, const JobResult& result) {
      emitToGui(&EngineWorker::abProgress, id, ++done, total, QString::fromStdString(arm), run, result.output.profile.wallMs);
    };
    try {
      // One engine for both arms: the checkpoint the studio keeps resident serves both.
      AbReport report = celerity::runAb(*engine_, *engine_, request, settings, progress, cancel);
      emitToGui(&EngineWorker::abFinished, id, std::move(report));
    } catch (const CelerityError& e) {
      if (e.error().code == ErrorCode::Cancelled) {
        emitToGui(&EngineWorker::cancelled, id, JobProfile{});
      } else {
        emitToGui(&EngineWorker::failed, id, e.error(), JobOutput{});
      }
    } catch (const std::exception& e) {
      emitToGui(&EngineWorker::failed, id, Error{ErrorCode::Internal, e.what(), "A/B runner"}, JobOutput{});
    }
    queryLoadedModels();
  }
  emitToGui(&EngineWorker::jobDone, id);
}

void EngineWorker::queryLoadedModels() {
  if (!engine_) return;
  try {
    emitToGui(&EngineWorker::loadedModelsChanged, engine_->loadedModels());
  } catch (const std::exception&) {
    // A status query never takes the worker down; the next job reports real problems.
  }
}

void EngineWorker::unloadAll() {
  if (!engine_) return;
  try {
    engine_->unloadAll();
  } catch (const std::exception&) {
  }
  queryLoadedModels();
}

void EngineWorker::releaseEngine() { engine_.reset(); }

}  // namespace celerity::studio
