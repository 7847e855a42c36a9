#include "StudioSession.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <exception>
#include <utility>

#include "ProfileFormat.h"

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
  loras_ = new ui::LoraPanel;
  loras_->setPromptEdit(window_->prompts()->positive()->textEdit());
  window_->setLoraPanel(loras_);
  detailer_ = new ui::DetailerPanel;
  window_->setDetailerPanel(detailer_);
  feed_ = new JobFeed(controller_, {window_.get(), overlay_, queue_, gallery_, timeline_}, this);

  window_->setTokenCounter(services_.tokenCounter);
  window_->emptyState()->setDemoAvailable(static_cast<bool>(services_.makeDemoCheckpoint));
  window_->actions()->demoCheckpoint->setEnabled(static_cast<bool>(services_.makeDemoCheckpoint));
  connectWindow();
  restoreSettings();
  loras_->setFolders(folders_.folders().loras);
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
  connect(w, &ui::MainWindow::checkpointSelected, this, &StudioSession::updateLoraFamily);
  connect(&controller_, &EngineController::loadedModelsChanged, this, &StudioSession::updateLoraFamily);
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
  connect(detailer_, &ui::DetailerPanel::refreshModelsRequested, this, &StudioSession::refreshCheckpoints);
  connect(optimizations_, &ui::OptimizationPanel::abRequested, this, [this](const QString& id) { runAb(id); });
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
  connect(&controller_, &EngineController::abProgress, this, [this](JobId id, int done, int total) {
    const auto it = abToggles_.find(id);
    if (it != abToggles_.end()) optimizations_->showAbProgress(it->second, done, total);
  });
  connect(feed_, &JobFeed::abRecorded, this, [this](JobId id, const AbReport& report) {
    const auto it = abToggles_.find(id);
    if (it == abToggles_.end()) return;
    const QString effect = ui::ProfileFormat::abEffect(report);
    optimizations_->setMeasuredEffect(it->second, effect);
    optimizations_->showAbEnded(it->second, effect);
    abToggles_.erase(it);
    window_->timelineDock()->show();
    window_->timelineDock()->raise();
  });
  const auto abEnded = [this](JobId id, const QString& outcome) {
    const auto it = abToggles_.find(id);
    if (it == abToggles_.end()) return;
    optimizations_->showAbEnded(it->second, outcome);
    abToggles_.erase(it);
  };
  connect(&controller_, &EngineController::jobCancelled, this, [abEnded](JobId id) { abEnded(id, tr("cancelled")); });
  connect(&controller_, &EngineController::jobFailed, this, [abEnded](JobId id, const Error& error) {
    abEnded(id, tr("failed: %1").arg(QString::fromStdString(error.message)));
  });
}

void StudioSession::restoreSettings() {
  folders_.setRoots(settings_.modelFolders());
  const Request last = settings_.lastRequest();
  const QString preferred = settings_.lastCheckpoint().isEmpty() ? QString::fromStdString(last.checkpointPath)
                                                                 : settings_.lastCheckpoint();
  window_->setCheckpoints(folders_.checkpointFiles(), preferred);
  window_->parameters()->setVaeFiles(folders_.vaeFiles());
  window_->setSearchedPlaces(folders_.searchedPlaces());
  detailer_->setDetectorModels(folders_.detectorFiles());
  detailer_->setCheckpoints(folders_.checkpointFiles());
  detailer_->setVaeFiles(folders_.vaeFiles());
  detailer_->setShowRegions(settings_.detectedRegionsVisible());
  window_->setRequest(last);
  optimizations_->setOverrides(last.optimizations);
  optimizations_->setAbRuns(settings_.abWarmup(), settings_.abRepeat());
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
  settings_.setDetectedRegionsVisible(detailer_->showsRegions());
  settings_.setModelFolders(folders_.roots());
  settings_.setPreviews(controller_.previewSettings());
  settings_.setAbRuns(optimizations_->abWarmup(), optimizations_->abRepeat());
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

void StudioSession::updateLoraFamily() {
  const QString current = QDir::cleanPath(window_->parameters()->currentCheckpoint());
  QString family;
  for (const LoadedModelInfo& model : controller_.loadedModels()) {
    if (QDir::cleanPath(QString::fromStdString(model.path)) == current) family = QString::fromStdString(model.family);
  }
  loras_->setCheckpointFamily(family);
}

void StudioSession::refreshCheckpoints() {
  window_->setCheckpoints(folders_.checkpointFiles(), settings_.lastCheckpoint());
  window_->parameters()->setVaeFiles(folders_.vaeFiles());
  loras_->setFolders(folders_.folders().loras);
  window_->setSearchedPlaces(folders_.searchedPlaces());
  detailer_->setDetectorModels(folders_.detectorFiles());
  detailer_->setCheckpoints(folders_.checkpointFiles());
  detailer_->setVaeFiles(folders_.vaeFiles());
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

JobId StudioSession::runAb(const QString& id) {
  if (window_->parameters()->currentCheckpoint().isEmpty()) {
    window_->statusBar()->showMessage(tr("Choose a checkpoint first"));
    return 0;
  }
  Request request = window_->request();
  if (request.seed < 0) request.seed = static_cast<std::int64_t>(QRandomGenerator::global()->bounded(1u << 31));
  request.outputFolder.clear();  // measurements, not pictures to keep
  AbSettings ab;
  ab.toggles = {id.toStdString()};
  ab.warmup = optimizations_->abWarmup();
  ab.repeat = optimizations_->abRepeat();
  const JobId job = controller_.submitAb(request, ab);
  if (job == 0) return 0;
  feed_->setTimelineTitle(job, tr("A/B %1").arg(id));
  abToggles_[job] = id;
  optimizations_->showAbProgress(id, 0, (ab.warmup + ab.repeat) * 2);
  return job;
}

}  // namespace celerity::studio
