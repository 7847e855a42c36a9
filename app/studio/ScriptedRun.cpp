#include "ScriptedRun.h"

#include <QCoreApplication>
#include <QPixmap>
#include <utility>

namespace celerity::studio {

ScriptedRun::ScriptedRun(StudioSession& session, EngineController& controller, QString screenshotPath,
                         QObject* parent)
    : QObject(parent), session_(session), controller_(controller), screenshotPath_(std::move(screenshotPath)) {
  connect(&controller_, &EngineController::jobFinished, this, [this](JobId id) { finish(id); });
  const auto stop = [this](JobId id) {
    if (id == job_ && !screenshotPath_.isEmpty()) QCoreApplication::exit(2);
  };
  connect(&controller_, &EngineController::jobFailed, this, stop);
  connect(&controller_, &EngineController::jobCancelled, this, stop);
}

void ScriptedRun::start() {
  ui::MainWindow* window = session_.window();
  if (window->prompts()->positive()->text().trimmed().isEmpty()) {
    window->prompts()->positive()->setText(QString::fromLatin1(kDefaultPrompt));
  }
  if (!screenshotPath_.isEmpty()) {
    Request request = window->request();
    request.width = kScreenshotSide;
    request.height = kScreenshotSide;
    request.steps = kScreenshotSteps;
    request.batchCount = 1;
    request.batchSize = 1;
    request.hires.enabled = false;
    window->setRequest(request);
  }
  job_ = session_.generate();
  if (job_ == 0 && !screenshotPath_.isEmpty()) QCoreApplication::exit(2);
}

void ScriptedRun::finish(JobId id) {
  if (id != job_ || screenshotPath_.isEmpty()) return;
  // The session's views got the job's events before this slot (connected later): the image
  // and the overlay already show the finished job.
  const QPixmap shot = session_.window()->grab();
  QCoreApplication::exit(shot.save(screenshotPath_, "PNG") ? 0 : 3);
}

}  // namespace celerity::studio
