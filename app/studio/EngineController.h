#pragma once
// The GUI thread's side of the engine (DESIGN.md "Threading"): a queue of jobs with ids,
// dispatched one at a time to the EngineWorker on its own QThread. Cancelling sets the
// running job's CancelToken directly from the GUI thread — a queued slot would wait behind
// the running job. Every submitted job ends in exactly one of jobFinished, jobCancelled
// (also for pending jobs that were removed) or jobFailed. Shutdown cancels, quits the thread
// and waits for it; it never terminates it.
#include <QObject>
#include <QString>
#include <QThread>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "EngineWorker.h"
#include "ThreadInbox.h"
#include "StudioJob.h"
#include "celerity/Engine.h"
#include "celerity/Events.h"

namespace celerity::studio {

class EngineController : public QObject {
  Q_OBJECT

 public:
  // Starts the worker thread and creates the engine there (engineReady / engineFailed).
  explicit EngineController(EngineFactory factory, QObject* parent = nullptr);
  ~EngineController() override;  // shutdown()

  // Queues a generation job; returns its id (ids start at 1 and never repeat).
  JobId submit(const Request& request);
  // Queues an A/B job: the A/B runner on `request` (its toggles off in A, on in B, warm-ups
  // then interleaved repeats), run on the engine thread like any job. It reports abProgress
  // after every run and ends in abFinished (instead of jobFinished), jobCancelled or jobFailed.
  JobId submitAb(const Request& request, const AbSettings& settings);
  bool isAbJob(JobId id) const;
  // Makes a checkpoint resident in the background (a LoadModel job), replacing a pending
  // preload of another checkpoint. Returns the id of the job that loads it (a new one, or
  // the pending/running one already loading that path), or 0 when there is nothing to do
  // (empty path, already loaded).
  JobId preload(const std::string& checkpointPath);

  // A pending job is removed (jobCancelled at once); the running one is told to stop at its
  // next check. False for an unknown or finished id.
  bool cancel(JobId id);
  // Every pending job removed, the running one stopped.
  void cancelAll();
  // The running job finishes the image it is making and stops ("finished", with fewer
  // images; an A/B job is cancelled: half a measurement means nothing); every pending job is
  // removed.
  void finishCurrentImageAndStop();
  // Cancels everything, lets the worker release the engine on its thread, quits the thread
  // and waits for it. Idempotent; nothing is dispatched afterwards.
  void shutdown();

  void setPreviewSettings(const PreviewSettings& previews) { previews_ = previews; }
  const PreviewSettings& previewSettings() const { return previews_; }
  void setSaveImages(bool save) { saveImages_ = save; }

  const std::deque<StudioJob>& pendingJobs() const { return pending_; }
  const StudioJob* runningJob() const { return running_ ? &*running_ : nullptr; }
  bool isBusy() const { return running_.has_value() || !pending_.empty(); }
  const std::vector<LoadedModelInfo>& loadedModels() const { return loadedModels_; }
  bool isEngineReady() const { return engineReady_; }

  // "txt2img 512×512, 20 steps: a cat in a hat…" / "Load sd15.safetensors".
  static QString jobLabel(JobKind kind, const Request& request);
  // "A/B unet.channels_last (3 runs each): txt2img 512×512, …".
  static QString abLabel(const Request& request, const AbSettings& settings);

 public slots:
  void refreshLoadedModels();
  void unloadAll();

 signals:
  void queueChanged();
  void jobQueued(celerity::JobId id, celerity::JobKind kind, QString label);
  void jobStarted(celerity::JobId id, celerity::JobKind kind, QString label);
  void jobProgress(celerity::JobId id, celerity::ProgressEvent progress);
  void jobPreview(celerity::JobId id, celerity::PreviewEvent preview);
  void jobStage(celerity::JobId id, celerity::ProfileSpan span, bool ended);
  void jobFinished(celerity::JobId id, celerity::JobOutput output);
  void jobCancelled(celerity::JobId id, celerity::JobProfile profile);
  void jobFailed(celerity::JobId id, celerity::Error error, celerity::JobOutput partial);
  // A/B jobs: `done` of `total` runs finished (the last: `arm`'s run `run`, negative for a
  // warm-up, in `wallMs`); then the report.
  void abProgress(celerity::JobId id, int done, int total, QString arm, int run, double wallMs);
  void abFinished(celerity::JobId id, celerity::AbReport report);
  // The running job ended and nothing is pending.
  void idle();
  void loadedModelsChanged(std::vector<celerity::LoadedModelInfo> models);
  void engineReady(celerity::DeviceCapabilities capabilities);
  void engineFailed(celerity::Error error);

 private:
  JobId enqueue(JobKind kind, const Request& request, std::optional<AbSettings> ab = std::nullopt);
  void dispatchNext();
  void removePending(bool onlyPreloads);
  bool isRunning(JobId id) const { return running_ && running_->id == id; }

  void onStarted(JobId id, const QString& label);
  void onJobDone(JobId id);

  QThread thread_;
  EngineWorker* worker_ = nullptr;  // lives on thread_; deleted there when it finishes
  ThreadInbox* guiInbox_;           // the worker's signals arrive through it (a child)
  std::deque<StudioJob> pending_;
  std::optional<StudioJob> running_;
  std::shared_ptr<CancelToken> cancel_;
  std::vector<LoadedModelInfo> loadedModels_;
  PreviewSettings previews_;
  JobId nextId_ = 1;
  bool saveImages_ = true;
  bool engineReady_ = false;
  bool shutDown_ = false;
};

}  // namespace celerity::studio
