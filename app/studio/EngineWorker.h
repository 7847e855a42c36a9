#pragma once
// The engine's thread (DESIGN.md "Threading"): a QObject moved onto a QThread that owns the
// GenerationEngine, runs one job at a time and turns the job's events into signals. With a
// GUI inbox set (the controller's), every signal is emitted on the inbox's thread, its
// arguments carried there by the inbox (ThreadInbox.h); without one, on the worker thread.
// Exceptions never leave a slot: the engine ends every job in one final event, and what
// the factory or the engine throws anyway becomes engineFailed / failed.
#include <QObject>
#include <QString>
#include <functional>
#include <memory>
#include <vector>

#include "celerity/AbRunner.h"
#include "celerity/Engine.h"
#include "celerity/Error.h"
#include "celerity/Events.h"

namespace celerity::ui {
class ThreadInbox;
}

namespace celerity::studio {

using ui::ThreadInbox;

// Made by the composition root (app/main.cpp: the real Engine; tests: a FakeEngine). Called
// on the worker thread, so that the engine's thread-local state belongs to that thread.
using EngineFactory = std::function<std::unique_ptr<GenerationEngine>()>;

class EngineWorker : public QObject {
  Q_OBJECT

 public:
  explicit EngineWorker(EngineFactory factory, QObject* parent = nullptr);
  ~EngineWorker() override;

  bool hasEngine() const { return engine_ != nullptr; }

  // Hands `task` to the worker's thread, where it runs after the tasks posted before it. Any
  // thread may call it (ThreadInbox.h).
  void post(std::function<void()> task);
  // Where the signals go out: set before the worker moves to its thread.
  void setGuiInbox(ThreadInbox* inbox) { guiInbox_ = inbox; }

 public slots:
  // Creates the engine; emits engineReady or engineFailed. Runs at most once.
  void initialize();
  // Runs `job` to its end (its `events` are replaced by the worker's sink), then emits
  // loadedModelsChanged and jobDone.
  void runJob(celerity::Job job);
  // Runs the A/B runner on `request` with this worker's engine serving both arms (its models
  // stay resident, as for any job): started, abProgress after every run, then abFinished —
  // or cancelled / failed — and jobDone.
  void runAb(celerity::JobId id, const celerity::Request& request, const celerity::AbSettings& settings,
             const std::shared_ptr<celerity::CancelToken>& cancel, const QString& label);
  // Emits loadedModelsChanged with the engine's resident models.
  void queryLoadedModels();
  void unloadAll();
  // Destroys the engine on this thread (shutdown, before the thread quits).
  void releaseEngine();


 signals:
  void engineReady(celerity::DeviceCapabilities capabilities);
  void engineFailed(celerity::Error error);

  void started(celerity::JobId id, QString label);
  void progress(celerity::JobId id, celerity::ProgressEvent progress);
  void preview(celerity::JobId id, celerity::PreviewEvent preview);
  void stage(celerity::JobId id, celerity::ProfileSpan span, bool ended);
  void finished(celerity::JobId id, celerity::JobOutput output);
  void cancelled(celerity::JobId id, celerity::JobProfile profile);
  void failed(celerity::JobId id, celerity::Error error, celerity::JobOutput partial);
  // An A/B job: `done` of `total` runs (warm-ups included) have finished; the last was `arm`'s
  // run `run` (negative for a warm-up) and took `wallMs`.
  void abProgress(celerity::JobId id, int done, int total, QString arm, int run, double wallMs);
  void abFinished(celerity::JobId id, celerity::AbReport report);
  // After the final event of every job (whatever it was): the worker is free again.
  void jobDone(celerity::JobId id);
  void loadedModelsChanged(std::vector<celerity::LoadedModelInfo> models);

 private:
  class Sink;

  EngineFactory factory_;
  std::unique_ptr<GenerationEngine> engine_;
  bool initialized_ = false;
  ThreadInbox* inbox_;              // its own, a child: moves to the worker's thread with it
  ThreadInbox* guiInbox_ = nullptr;  // not owned

  // Emits `signal(args…)` on the GUI inbox's thread (or here without one).
  template <typename Signal, typename... Args>
  void emitToGui(Signal signal, Args... args);
};

}  // namespace celerity::studio
