#include "JobFeed.h"

#include <exception>

#include "ProfileFormat.h"

namespace celerity::studio {

JobFeed::JobFeed(EngineController& controller, Views views, QObject* parent)
    : QObject(parent), controller_(controller), views_(views) {
  connect(&controller_, &EngineController::jobQueued, this, &JobFeed::onQueued);
  connect(&controller_, &EngineController::jobStarted, this, &JobFeed::onStarted);
  connect(&controller_, &EngineController::jobProgress, this, &JobFeed::onProgress);
  connect(&controller_, &EngineController::jobStage, this, &JobFeed::onStage);
  connect(&controller_, &EngineController::jobFinished, this, &JobFeed::onFinished);
  connect(&controller_, &EngineController::jobCancelled, this, &JobFeed::onCancelled);
  connect(&controller_, &EngineController::jobFailed, this, &JobFeed::onFailed);
  connect(&controller_, &EngineController::abProgress, this, &JobFeed::onAbProgress);
  connect(&controller_, &EngineController::abFinished, this, &JobFeed::onAbFinished);
  if (views_.window != nullptr) {
    connect(&controller_, &EngineController::jobPreview, views_.window, &ui::MainWindow::onJobPreview);
    connect(&controller_, &EngineController::queueChanged, views_.window,
            [this]() { views_.window->setBusy(controller_.isBusy()); });
    connect(&controller_, &EngineController::loadedModelsChanged, views_.window,
            [this](const std::vector<LoadedModelInfo>& models) {
              views_.window->studioStatusBar()->setLoadedModels(models);
            });
  }
  if (views_.queue != nullptr) {
    connect(views_.queue, &ui::QueueView::cancelRequested, &controller_, &EngineController::cancel);
    connect(views_.queue, &ui::QueueView::cancelAllRequested, &controller_, &EngineController::cancelAll);
    connect(views_.queue, &ui::QueueView::finishCurrentRequested, &controller_,
            &EngineController::finishCurrentImageAndStop);
    // A stop asked for from anywhere shows as "stopping" until the job ends.
    const auto stopping = [this]() {
      if (const StudioJob* running = controller_.runningJob()) {
        views_.queue->setState(running->id, ui::QueueJobState::Stopping);
      }
    };
    connect(views_.queue, &ui::QueueView::cancelAllRequested, this, stopping);
    connect(views_.queue, &ui::QueueView::finishCurrentRequested, this, stopping);
  }
}

void JobFeed::onQueued(JobId id, JobKind kind, const QString& label) {
  if (!titles_.count(id)) titles_[id] = label;
  kinds_[id] = kind;
  if (controller_.isAbJob(id)) abJobs_.insert(id);
  if (views_.queue != nullptr) views_.queue->upsertJob(ui::QueueEntry{id, label, ui::QueueJobState::Pending, 0.0});
}

void JobFeed::onStarted(JobId id, JobKind kind, const QString& label) {
  if (views_.queue != nullptr) views_.queue->setState(id, ui::QueueJobState::Running);
  if (views_.window != nullptr) views_.window->onJobStarted(id, kind, label);
  // An A/B job records no live stages: the overlay keeps the last image's profile.
  if (kind == JobKind::Generate && views_.overlay != nullptr && !abJobs_.count(id)) views_.overlay->clear();
}

void JobFeed::onAbProgress(JobId id, int done, int total, const QString& arm, int run, double wallMs) {
  if (views_.queue != nullptr) views_.queue->setProgress(id, total > 0 ? static_cast<double>(done) / total : 0.0);
  if (views_.window == nullptr) return;
  const QString what = run < 0 ? tr("warm-up %1").arg(arm) : tr("%1 run %2").arg(arm).arg(run + 1);
  views_.window->imageView()->progress()->showRuns(
      done, total, tr("A/B: %1 of %2 runs · %3 took %4").arg(done).arg(total).arg(what, ui::ProfileFormat::duration(wallMs)));
}

void JobFeed::onAbFinished(JobId id, const AbReport& report) {
  if (views_.window != nullptr) {
    views_.window->imageView()->progress()->showRuns(1, 1, tr("A/B done: %1").arg(ui::ProfileFormat::abEffect(report)));
  }
  if (views_.timeline != nullptr) views_.timeline->addAbReport(id, report, titles_[id]);
  emit abRecorded(id, report);
  ended(id);
}

void JobFeed::onProgress(JobId id, const ProgressEvent& progress) {
  if (views_.window != nullptr) views_.window->onJobProgress(id, progress);
  if (views_.queue != nullptr) views_.queue->setProgress(id, ui::JobProgressBar::percentDone(progress) / 100.0);
  if (views_.overlay != nullptr && kinds_[id] == JobKind::Generate) views_.overlay->setElapsedMs(progress.elapsedMs);
}

void JobFeed::onStage(JobId id, const ProfileSpan& span, bool ended) {
  if (views_.overlay == nullptr || kinds_[id] != JobKind::Generate) return;
  if (ended) {
    views_.overlay->endStage(span);
  } else {
    views_.overlay->beginStage(span);
  }
}

void JobFeed::onFinished(JobId id, const JobOutput& output) {
  if (views_.window != nullptr) views_.window->onJobFinished(id, output);
  if (kinds_[id] == JobKind::Generate) {
    if (views_.gallery != nullptr) {
      for (std::size_t i = 0; i < output.images.size(); ++i) {
        const QString saved = i < output.savedPaths.size() ? QString::fromStdString(output.savedPaths[i]) : QString();
        try {
          views_.gallery->addImage(output.images[i], saved);
        } catch (const std::exception&) {
          // An image whose buffer does not match its size cannot be shown; the others can.
        }
      }
    }
    if (views_.overlay != nullptr) views_.overlay->setProfile(output.profile);
    recordProfile(id, output.profile);
  }
  ended(id);
}

void JobFeed::onCancelled(JobId id, const JobProfile& profile) {
  if (views_.window != nullptr) views_.window->onJobCancelled(id, profile);
  // A job removed from the queue before it ran has no profile worth keeping.
  if (kinds_[id] == JobKind::Generate && !profile.spans.empty()) {
    if (views_.overlay != nullptr) views_.overlay->setProfile(profile);
    recordProfile(id, profile);
  }
  ended(id);
}

void JobFeed::onFailed(JobId id, const Error& error, const JobOutput& partial) {
  if (views_.window != nullptr) views_.window->onJobFailed(id, error, partial);
  if (kinds_[id] == JobKind::Generate && views_.overlay != nullptr && !partial.profile.spans.empty()) {
    views_.overlay->setProfile(partial.profile);
  }
  ended(id);
}

void JobFeed::recordProfile(JobId id, const JobProfile& profile) {
  if (views_.timeline == nullptr) return;
  views_.timeline->addJob(id, profile, titles_[id]);
  emit profileRecorded(id);
}

void JobFeed::ended(JobId id) {
  if (views_.queue != nullptr) views_.queue->removeJob(id);
  titles_.erase(id);
  kinds_.erase(id);
  abJobs_.erase(id);
}

}  // namespace celerity::studio
