#include "EngineWorker.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "StudioMetaTypes.h"

namespace celerity::studio {

// The job's JobEventSink: forwards each engine event as a signal of the worker. Makes sure a
// job ends in exactly one final signal even if the engine forgets one.
class EngineWorker::Sink final : public JobEventSink {
 public:
  explicit Sink(EngineWorker& worker) : worker_(worker) {}

  void onStarted(JobId job, const std::string& label) override {
    emit worker_.started(job, QString::fromStdString(label));
  }
  void onProgress(JobId job, const ProgressEvent& progress) override {
    emit worker_.progress(job, progress);
  }
  void onPreview(JobId job, const PreviewEvent& preview) override {
    emit worker_.preview(job, preview);
  }
  void onStage(JobId job, const ProfileSpan& span, bool ended) override {
    emit worker_.stage(job, span, ended);
  }
  void onFinished(JobId job, const JobOutput& output) override {
    if (ended_) return;
    ended_ = true;
    emit worker_.finished(job, output);
  }
  void onCancelled(JobId job, const JobProfile& profile) override {
    if (ended_) return;
    ended_ = true;
    emit worker_.cancelled(job, profile);
  }
  void onFailed(JobId job, const Error& error, const JobOutput& partial) override {
    if (ended_) return;
    ended_ = true;
    emit worker_.failed(job, error, partial);
  }

  bool ended() const { return ended_; }

 private:
  EngineWorker& worker_;
  bool ended_ = false;
};

EngineWorker::EngineWorker(EngineFactory factory, QObject* parent)
    : QObject(parent), factory_(std::move(factory)) {}

EngineWorker::~EngineWorker() = default;

void EngineWorker::post(std::function<void()> task) {
  // The wake-up is queued under the lock: the worker cannot take (and, at shutdown, finish
  // and delete itself after) the task before this call is done with the object. By name: Qt
  // carries no data of ours across the threads, only the wake-up.
  std::lock_guard<std::mutex> lock(inboxMutex_);
  inbox_.push_back(std::move(task));
  QMetaObject::invokeMethod(this, "runPostedTasks", Qt::QueuedConnection);
}

void EngineWorker::runPostedTasks() {
  for (;;) {
    std::function<void()> task;
    {
      std::lock_guard<std::mutex> lock(inboxMutex_);
      if (inbox_.empty()) return;
      task = std::move(inbox_.front());
      inbox_.pop_front();
    }
    task();
  }
}

void EngineWorker::initialize() {
  if (initialized_) return;
  initialized_ = true;
  try {
    if (!factory_) throw CelerityError(ErrorCode::Internal, "no engine factory", "EngineWorker");
    engine_ = factory_();
    if (!engine_) throw CelerityError(ErrorCode::Internal, "the engine factory made no engine", "EngineWorker");
    emit engineReady(engine_->capabilities());
  } catch (const CelerityError& e) {
    emit engineFailed(e.error());
  } catch (const std::exception& e) {
    emit engineFailed(Error{ErrorCode::Internal, e.what(), "EngineWorker"});
  }
}

void EngineWorker::runJob(celerity::Job job) {
  initialize();
  Sink sink(*this);
  job.events = &sink;
  if (!engine_) {
    sink.onFailed(job.id, Error{ErrorCode::Internal, "the engine could not be started", "EngineWorker"}, {});
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
  emit jobDone(job.id);
}

void EngineWorker::runAb(JobId id, const Request& request, const AbSettings& settings,
                         const std::shared_ptr<CancelToken>& cancel, const QString& label) {
  initialize();
  emit started(id, label);
  if (!engine_) {
    emit failed(id, Error{ErrorCode::Internal, "the engine could not be started", "EngineWorker"}, {});
  } else {
    const int arms = settings.toggles.empty() ? 1 : 2;
    const int total = arms * (std::max(0, settings.warmup) + std::max(0, settings.repeat));
    int done = 0;
    const AbProgress progress = [&](const std::string& arm, int run, const JobResult& result) {
      emit abProgress(id, ++done, total, QString::fromStdString(arm), run, result.output.profile.wallMs);
    };
    try {
      // One engine for both arms: the checkpoint the studio keeps resident serves both.
      AbReport report = celerity::runAb(*engine_, *engine_, request, settings, progress, cancel);
      emit abFinished(id, std::move(report));
    } catch (const CelerityError& e) {
      if (e.error().code == ErrorCode::Cancelled) {
        emit cancelled(id, JobProfile{});
      } else {
        emit failed(id, e.error(), {});
      }
    } catch (const std::exception& e) {
      emit failed(id, Error{ErrorCode::Internal, e.what(), "A/B runner"}, {});
    }
    queryLoadedModels();
  }
  emit jobDone(id);
}

void EngineWorker::queryLoadedModels() {
  if (!engine_) return;
  try {
    emit loadedModelsChanged(engine_->loadedModels());
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
