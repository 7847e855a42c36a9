#pragma once
// Carries the EngineController's job events to everything that shows them: the window
// (progress, previews, result, errors), the profiler overlay (stages as they run, then the
// profile), the queue view, the gallery and the timeline review. Kept apart from the
// session so that neither grows into a god object.
#include <QObject>
#include <QPointer>
#include <QString>
#include <map>
#include <set>

#include "EngineController.h"
#include "GalleryView.h"
#include "MainWindow.h"
#include "ProfilerOverlay.h"
#include "QueueView.h"
#include "TimelineReview.h"

namespace celerity::studio {

class JobFeed : public QObject {
  Q_OBJECT

 public:
  struct Views {
    ui::MainWindow* window = nullptr;
    ui::ProfilerOverlay* overlay = nullptr;
    ui::QueueView* queue = nullptr;
    ui::GalleryView* gallery = nullptr;
    ui::TimelineReview* timeline = nullptr;
  };

  JobFeed(EngineController& controller, Views views, QObject* parent = nullptr);

  // Jobs whose profile goes to the timeline under a given title (A/B runs) rather than
  // their queue label.
  void setTimelineTitle(JobId id, const QString& title) { titles_[id] = title; }

 signals:
  // A job's profile reached the timeline review (finished or cancelled with a profile).
  void profileRecorded(celerity::JobId id);
  // An A/B job's report reached the timeline review (selected there).
  void abRecorded(celerity::JobId id, const celerity::AbReport& report);

 private:
  void onQueued(JobId id, JobKind kind, const QString& label);
  void onStarted(JobId id, JobKind kind, const QString& label);
  void onProgress(JobId id, const ProgressEvent& progress);
  void onStage(JobId id, const ProfileSpan& span, bool ended);
  void onFinished(JobId id, const JobOutput& output);
  void onCancelled(JobId id, const JobProfile& profile);
  void onFailed(JobId id, const Error& error, const JobOutput& partial);
  void onAbProgress(JobId id, int done, int total, const QString& arm, int run, double wallMs);
  void onAbFinished(JobId id, const AbReport& report);
  void recordProfile(JobId id, const JobProfile& profile);
  void ended(JobId id);

  EngineController& controller_;
  Views views_;
  std::map<JobId, QString> titles_;  // queue labels (and A/B titles) by job
  std::map<JobId, JobKind> kinds_;
  std::set<JobId> abJobs_;  // A/B jobs: no stages, previews or images, a report at the end
};

}  // namespace celerity::studio
