#include "StudioSession.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <exception>
#include <utility>

namespace celerity::studio {

StudioSession::StudioSession(EngineController& controller, StudioSettings& settings, StudioServices services,
                             QObject* parent)
    : QObject(parent),
      controller_(controller),
      settings_(settings),
      services_(std::move(services)),
      folders_(services_.studioModelsFolder),
      window_(std::make_unique<ui::MainWindow>()) {
  overlay_ = new ui::ProfilerOverlay(window_->imageView()->canvas());
  window_->setProfilerOverlay(overlay_);
  queue_ = new ui::QueueView;
  window_->setQueueView(queue_);
  gallery_ = new ui::GalleryView;
  window_->setGalleryView(gallery_);
  timeline_ = new ui::TimelineReview;
  window_->setTimelineReview(timeline_);
  optimizations_ = new ui::OptimizationPanel;
  window_->setOptimizationPanel(optimizations_);
  feed_ = new JobFeed(controller_, {window_.get(), overlay_, queue_, gallery_, timeline_}, this);

  window_->setTokenCounter(services_.tokenCounter);
  window_->emptyState()->setDemoAvailable(static_cast<bool>(services_.makeDemoCheckpoint));
  window_->actions()->demoCheckpoint->setEnabled(static_cast<bool>(services_.makeDemoCheckpoint));
  connectWindow();
  restoreSettings();
}

StudioSession::~StudioSession() {
  delete feed_;  // stop feeding views before the window (and its views) go
  feed_ = nullptr;
}

void StudioSession::connectWindow() {
  ui::MainWindow* w = window_.get();
  connect(w, &ui::MainWindow::generateRequested, this, [this]() { generate(); });
  connect(w, &ui::MainWindow::cancelRequested, this, &StudioSession::cancelRunning);
  connect(w, &ui::MainWindow::cancelAllRequested, &controller_, &EngineController::cancelAll);
  connect(w, &ui::MainWindow::finishCurrentImageRequested, &controller_, &EngineController::finishCurrentImageAndStop);
  connect(w, &ui::MainWindow::checkpointSelected, this, &StudioSession::selectCheckpoint);
  connect(w, &ui::MainWindow::refreshCheckpointsRequested, this, &StudioSession::refreshCheckpoints);
  connect(w, &ui::MainWindow::modelFolderChosen, this, &StudioSession::addModelFolder);
  connect(w, &ui::MainWindow::demoCheckpointRequested, this, [this]() { createDemoCheckpoint(); });
  connect(w, &ui::MainWindow::overlayToggled, this, [this](bool visible) { settings_.setOverlayVisible(visible); });
  connect(w, &ui::MainWindow::closing, this, &StudioSession::saveSettings);
  connect(w, &ui::MainWindow::languageChosen, this, [this](const QString& code) {
    settings_.setLanguage(code);
    window_->statusBar()->showMessage(tr("The new language applies when Celerity starts again"));
  });
  connect(optimizations_, &ui::OptimizationPanel::overridesChanged, this,
          [this](const OptimizationOverrides& overrides) { window_->setOptimizations(overrides); });
  connect(optimizations_, &ui::OptimizationPanel::abRequested, this, &StudioSession::runAbPair);
  connect(gallery_, &ui::GalleryView::imageActivated, this, [this](int index) {
    window_->imageView()->canvas()->setImage(gallery_->image(index), tr("Image %1").arg(index + 1));
  });
  connect(&controller_, &EngineController::engineReady, this, [this](const DeviceCapabilities& capabilities) {
    optimizations_->setCapabilities(capabilities);
    window_->studioStatusBar()->setEngineDevice(capabilities.cuda ? tr("GPU") : tr("CPU"));
  });
  connect(&controller_, &EngineController::engineFailed, this, [this](const Error& error) {
    window_->imageView()->progress()->showFailed(error);
    window_->statusBar()->showMessage(tr("The engine could not start: %1").arg(QString::fromStdString(error.message)));
  });
  connect(feed_, &JobFeed::profileRecorded, this, [this](JobId id) {
    const auto partner = abPartner_.find(id);
    if (partner == abPartner_.end()) return;
    abRecorded_.insert(id);
    const JobId other = partner->second;
    if (!abRecorded_.count(other)) return;
    timeline_->selectJobs({std::min(id, other), std::max(id, other)});
    abPartner_.erase(id);
    abPartner_.erase(other);
    abRecorded_.erase(id);
    abRecorded_.erase(other);
  });
}

void StudioSession::restoreSettings() {
  folders_.setRoots(settings_.modelFolders());
  const Request last = settings_.lastRequest();
  const QString preferred = settings_.lastCheckpoint().isEmpty() ? QString::fromStdString(last.checkpointPath)
                                                                 : settings_.lastCheckpoint();
  window_->setCheckpoints(folders_.checkpointFiles(), preferred);
  window_->setSearchedPlaces(folders_.searchedPlaces());
  window_->setRequest(last);
  optimizations_->setOverrides(last.optimizations);
  window_->setOptimizations(optimizations_->overrides());
  const QString output = settings_.outputFolder();
  window_->setOutputFolder(output.isEmpty() ? services_.defaultOutputFolder : output);
  controller_.setPreviewSettings(settings_.previews());
  window_->actions()->overlay->setChecked(settings_.overlayVisible());
  window_->actions()->setCurrentLanguage(settings_.language());
  const QByteArray geometry = settings_.windowGeometry();
  if (!geometry.isEmpty()) window_->restoreGeometry(geometry);
  const QByteArray state = settings_.windowState();
  if (!state.isEmpty()) window_->restoreState(state);
  controller_.preload(window_->parameters()->currentCheckpoint().toStdString());
}

void StudioSession::saveSettings() {
  settings_.setWindowGeometry(window_->saveGeometry());
  settings_.setWindowState(window_->saveState());
  settings_.setLastRequest(window_->request());
  settings_.setLastCheckpoint(window_->parameters()->currentCheckpoint());
  settings_.setOverlayVisible(window_->actions()->overlay->isChecked());
  settings_.setModelFolders(folders_.roots());
  settings_.setPreviews(controller_.previewSettings());
  settings_.sync();
}

JobId StudioSession::generate() {
  if (window_->parameters()->currentCheckpoint().isEmpty()) {
    window_->statusBar()->showMessage(tr("Choose a checkpoint first"));
    return 0;
  }
  return controller_.submit(window_->request());
}

void StudioSession::cancelRunning() {
  const StudioJob* running = controller_.runningJob();
  if (running == nullptr) return;
  queue_->setState(running->id, ui::QueueJobState::Stopping);
  controller_.cancel(running->id);
}

void StudioSession::selectCheckpoint(const QString& path) {
  settings_.setLastCheckpoint(path);
  controller_.preload(path.toStdString());
}

void StudioSession::refreshCheckpoints() {
  window_->setCheckpoints(folders_.checkpointFiles(), settings_.lastCheckpoint());
  window_->setSearchedPlaces(folders_.searchedPlaces());
}

void StudioSession::addModelFolder(const QString& folder) {
  const QString clean = QDir::cleanPath(folder);
  QStringList roots = folders_.roots();
  if (!roots.contains(clean)) roots << clean;
  folders_.setRoots(roots);
  settings_.setModelFolders(roots);
  const QString before = window_->parameters()->currentCheckpoint();
  refreshCheckpoints();
  const int found = static_cast<int>(ModelFolders::foldersOf(clean).checkpoints.size());
  window_->statusBar()->showMessage(tr("Added %1 (%2, %n checkpoint folder(s))", nullptr, found)
                                        .arg(QDir::toNativeSeparators(clean), ModelFolders::kindName(ModelFolders::detect(clean))));
  const QString now = window_->parameters()->currentCheckpoint();
  if (before.isEmpty() && !now.isEmpty()) selectCheckpoint(now);
}

void StudioSession::openCheckpoint(const QString& file) {
  const QFileInfo info(file);
  const QString path = QDir::cleanPath(info.absoluteFilePath());
  QStringList roots = folders_.roots();
  if (!folders_.checkpointFiles().contains(path)) {
    roots << QDir::cleanPath(info.absolutePath());
    folders_.setRoots(roots);
    settings_.setModelFolders(roots);
  }
  settings_.setLastCheckpoint(path);
  refreshCheckpoints();
  window_->parameters()->setCurrentCheckpoint(path);
  selectCheckpoint(path);
}

bool StudioSession::createDemoCheckpoint() {
  if (!services_.makeDemoCheckpoint || services_.studioModelsFolder.isEmpty()) return false;
  const QString path = QDir(services_.studioModelsFolder).filePath(QString::fromLatin1(kDemoCheckpointName));
  try {
    QDir().mkpath(services_.studioModelsFolder);
    services_.makeDemoCheckpoint(path.toStdString());
  } catch (const std::exception& e) {
    window_->statusBar()->showMessage(tr("The demo checkpoint could not be made: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
  refreshCheckpoints();
  window_->parameters()->setCurrentCheckpoint(path);
  selectCheckpoint(path);
  window_->statusBar()->showMessage(tr("Demo checkpoint ready: tiny random weights, it paints noise, not pictures"));
  return true;
}

void StudioSession::runAbPair(const QString& id) {
  if (window_->parameters()->currentCheckpoint().isEmpty()) {
    window_->statusBar()->showMessage(tr("Choose a checkpoint first"));
    return;
  }
  Request request = window_->request();
  if (request.seed < 0) request.seed = static_cast<std::int64_t>(QRandomGenerator::global()->bounded(1u << 31));
  request.outputFolder.clear();  // measurements, not pictures to keep
  Request off = request;
  off.optimizations[id.toStdString()] = false;
  Request on = request;
  on.optimizations[id.toStdString()] = true;
  const JobId a = controller_.submit(off);
  const JobId b = controller_.submit(on);
  if (a == 0 || b == 0) return;
  feed_->setTimelineTitle(a, tr("A: %1 off").arg(id));
  feed_->setTimelineTitle(b, tr("B: %1 on").arg(id));
  abPartner_[a] = b;
  abPartner_[b] = a;
}

}  // namespace celerity::studio
