#pragma once
// The studio run by a script (scripts/screenshot.sh): press Generate once, and when that job
// has finished — image shown, profiler overlay filled — save the window as a PNG and quit.
// For a screenshot the job is small (256 × 256, 8 steps): every stage still shows in the
// overlay and the image fills the canvas, in seconds instead of minutes on a CPU.
// Exit status 0 on success, 2 when the job failed or was cancelled, 3 when the screenshot
// could not be written.
#include <QObject>
#include <QString>

#include "EngineController.h"
#include "StudioSession.h"

namespace celerity::studio {

class ScriptedRun : public QObject {
  Q_OBJECT

 public:
  static constexpr const char* kDefaultPrompt = "a lighthouse on a cliff at sunset, dramatic sky";
  static constexpr int kScreenshotSide = 256;
  static constexpr int kScreenshotSteps = 8;

  // `screenshotPath` empty: generate only, keep running.
  ScriptedRun(StudioSession& session, EngineController& controller, QString screenshotPath,
              QObject* parent = nullptr);

  // Queues the generation (with a default prompt when the window has none; for a screenshot
  // at kScreenshotSide² with kScreenshotSteps steps, one image, no hires fix).
  void start();

 private:
  void finish(JobId id);

  StudioSession& session_;
  EngineController& controller_;
  QString screenshotPath_;
  JobId job_ = 0;
};

}  // namespace celerity::studio
