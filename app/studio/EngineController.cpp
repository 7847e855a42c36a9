#include "EngineController.h"

#include <QFileInfo>
#include <QStringList>
#include <algorithm>
#include <utility>

#include "StudioMetaTypes.h"

namespace celerity::studio {

namespace {

bool samePath(const std::string& a, const std::string& b) {
  if (a == b) return true;
  const QString ca = QFileInfo(QString::fromStdString(a)).canonicalFilePath();
  return !ca.isEmpty() && ca == QFileInfo(QString::fromStdString(b)).canonicalFilePath();
}

}  // namespace

EngineController::EngineController(EngineFactory factory, QObject* parent)
    : QObject(parent), guiInbox_(new ThreadInbox(this)) {
  registerStudioMetaTypes();
  thread_.setObjectName(QStringLiteral("celerity-engine"));
  worker_ = new EngineWorker(std::move(factory));
  worker_->setGuiInbox(guiInbox_);
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);

  // Worker → controller: the worker emits through guiInbox_ (ThreadInbox.h), so every slot
  // below runs on the GUI thread, in the order the worker emitted.
  connect(worker_, &EngineWorker::engineReady, this, [this](DeviceCapabilities capabilities) {
    engineReady_ = true;
    emit engineReady(capabilities);
  });
  connect(worker_, &EngineWorker::engineFailed, this, &EngineController::engineFailed);
  connect(worker_, &EngineWorker::started, this, &EngineController::onStarted);
  connect(worker_, &EngineWorker::progress, this, [this](JobId id, const ProgressEvent& p) {
    if (isRunning(id)) emit jobProgress(id, p);
  });
  connect(worker_, &EngineWorker::preview, this, [this](JobId id, const PreviewEvent& p) {
    if (isRunning(id)) emit jobPreview(id, p);
  });
  connect(worker_, &EngineWorker::stage, this, [this](JobId id, const ProfileSpan& span, bool ended) {
    if (isRunning(id)) emit jobStage(id, span, ended);
  });
  connect(worker_, &EngineWorker::finished, this, [this](JobId id, const JobOutput& output) {
    if (isRunning(id)) emit jobFinished(id, output);
  });
  connect(worker_, &EngineWorker::cancelled, this, [this](JobId id, const JobProfile& profile) {
    if (isRunning(id)) emit jobCancelled(id, profile);
  });
  connect(worker_, &EngineWorker::failed, this,
          [this](JobId id, const Error& error, const JobOutput& partial) {
            if (isRunning(id)) emit jobFailed(id, error, partial);
          });
  connect(worker_, &EngineWorker::abProgress, this,
          [this](JobId id, int done, int total, const QString& arm, int run, double wallMs) {
            if (isRunning(id)) emit abProgress(id, done, total, arm, run, wallMs);
          });
  connect(worker_, &EngineWorker::abFinished, this, [this](JobId id, const AbReport& report) {
    if (isRunning(id)) emit abFinished(id, report);
  });
  connect(worker_, &EngineWorker::jobDone, this, &EngineController::onJobDone);
  connect(worker_, &EngineWorker::loadedModelsChanged, this,
          [this](const std::vector<LoadedModelInfo>& models) {
            loadedModels_ = models;
            emit loadedModelsChanged(models);
          });

  thread_.start();
  EngineWorker* worker = worker_;
  worker_->post([worker]() { worker->initialize(); });
}

EngineController::~EngineController() { shutdown(); }

QString EngineController::jobLabel(JobKind kind, const Request& request) {
  const QString model = QFileInfo(QString::fromStdString(request.checkpointPath)).fileName();
  if (kind == JobKind::LoadModel) return tr("Load %1").arg(model);
  const QString mode = request.isInpaint()   ? tr("inpaint")
                       : request.isImg2Img() ? tr("img2img")
                                             : tr("txt2img");
  QString prompt = QString::fromStdString(request.prompt).simplified();
  constexpr int kPromptChars = 48;
  if (prompt.size() > kPromptChars) prompt = prompt.left(kPromptChars - 1) + QChar(0x2026);
  const QString images = request.imageCount() > 1 ? tr(" ×%1").arg(request.imageCount()) : QString();
  return tr("%1 %2×%3%4, %5 steps: %6")
      .arg(mode)
      .arg(request.width)
      .arg(request.height)
      .arg(images)
      .arg(request.steps)
      .arg(prompt);
}

QString EngineController::abLabel(const Request& request, const AbSettings& settings) {
  QStringList toggles;
  for (const auto& id : settings.toggles) toggles << QString::fromStdString(id);
  const QString what = toggles.isEmpty() ? tr("Benchmark") : tr("A/B %1").arg(toggles.join(QStringLiteral(", ")));
  return tr("%1 (%n run(s) per arm): %2", nullptr, settings.repeat).arg(what, jobLabel(JobKind::Generate, request));
}

JobId EngineController::submit(const Request& request) { return enqueue(JobKind::Generate, request); }

JobId EngineController::submitAb(const Request& request, const AbSettings& settings) {
  return enqueue(JobKind::Generate, request, settings);
}

bool EngineController::isAbJob(JobId id) const {
  if (running_ && running_->id == id) return running_->ab.has_value();
  for (const auto& job : pending_) {
    if (job.id == id) return job.ab.has_value();
  }
  return false;
}

JobId EngineController::preload(const std::string& checkpointPath) {
  if (checkpointPath.empty() || shutDown_) return 0;
  if (running_ && running_->kind == JobKind::LoadModel &&
      samePath(running_->request.checkpointPath, checkpointPath)) {
    return running_->id;
  }
  for (const auto& job : pending_) {
    if (job.kind == JobKind::LoadModel && samePath(job.request.checkpointPath, checkpointPath)) return job.id;
  }
  removePending(true);  // a preload of another checkpoint is superseded
  for (const auto& model : loadedModels_) {
    if (samePath(model.path, checkpointPath)) return 0;
  }
  Request request;
  request.checkpointPath = checkpointPath;
  return enqueue(JobKind::LoadModel, request);
}

JobId EngineController::enqueue(JobKind kind, const Request& request, std::optional<AbSettings> ab) {
  if (shutDown_) return 0;
  StudioJob job;
  job.id = nextId_++;
  job.kind = kind;
  job.request = request;
  job.label = ab ? abLabel(request, *ab) : jobLabel(kind, request);
  job.ab = std::move(ab);
  pending_.push_back(job);
  emit jobQueued(job.id, job.kind, job.label);
  emit queueChanged();
  dispatchNext();
  return job.id;
}

void EngineController::dispatchNext() {
  if (running_ || pending_.empty() || shutDown_) return;
  running_ = std::move(pending_.front());
  pending_.pop_front();
  cancel_ = std::make_shared<CancelToken>();
  EngineWorker* worker = worker_;
  if (running_->ab) {
    const JobId id = running_->id;
    const Request request = running_->request;
    const AbSettings settings = *running_->ab;
    const QString label = running_->label;
    const std::shared_ptr<CancelToken> cancel = cancel_;
    worker->post([worker, id, request, settings, cancel, label]() { worker->runAb(id, request, settings, cancel, label); });
    emit queueChanged();
    return;
  }

  Job job;
  job.id = running_->id;
  job.kind = running_->kind;
  job.request = running_->request;
  job.previews = previews_;
  job.cancel = cancel_;
  job.saveImages = saveImages_;
  worker->post([worker, job]() { worker->runJob(job); });
  emit queueChanged();
}

bool EngineController::cancel(JobId id) {
  if (isRunning(id)) {
    cancel_->cancelAll();
    return true;
  }
  const auto it = std::find_if(pending_.begin(), pending_.end(), [id](const StudioJob& j) { return j.id == id; });
  if (it == pending_.end()) return false;
  pending_.erase(it);
  emit jobCancelled(id, JobProfile{});
  emit queueChanged();
  return true;
}

void EngineController::removePending(bool onlyPreloads) {
  std::vector<JobId> removed;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (!onlyPreloads || it->kind == JobKind::LoadModel) {
      removed.push_back(it->id);
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  for (const JobId id : removed) emit jobCancelled(id, JobProfile{});
  if (!removed.empty()) emit queueChanged();
}

void EngineController::cancelAll() {
  removePending(false);
  if (running_) cancel_->cancelAll();
}

void EngineController::finishCurrentImageAndStop() {
  removePending(false);
  if (running_ && running_->ab) {
    cancel_->cancelAll();
  } else if (running_) {
    cancel_->finishCurrentImage();
  }
}

void EngineController::onStarted(JobId id, const QString& label) {
  if (!isRunning(id)) return;
  emit jobStarted(id, running_->kind, label.isEmpty() ? running_->label : label);
}

void EngineController::onJobDone(JobId id) {
  if (!isRunning(id)) return;
  running_.reset();
  cancel_.reset();
  emit queueChanged();
  if (pending_.empty()) {
    emit idle();
  } else {
    dispatchNext();
  }
}

void EngineController::refreshLoadedModels() {
  if (shutDown_) return;
  EngineWorker* worker = worker_;
  worker_->post([worker]() { worker->queryLoadedModels(); });
}

void EngineController::unloadAll() {
  if (shutDown_) return;
  EngineWorker* worker = worker_;
  worker_->post([worker]() { worker->unloadAll(); });
}

void EngineController::shutdown() {
  if (shutDown_) return;
  shutDown_ = true;
  pending_.clear();
  if (cancel_) cancel_->cancelAll();
  // Queued behind the running job (which the token ends promptly): the engine is destroyed
  // on its own thread, then the thread's event loop quits.
  EngineWorker* worker = worker_;
  worker->post([worker]() {
    worker->releaseEngine();
    QThread::currentThread()->quit();
  });
  thread_.wait();
  guiInbox_->discard();  // events of the ended engine thread that nobody waits for any more
  worker_ = nullptr;
  running_.reset();
  cancel_.reset();
}

}  // namespace celerity::studio
