#include "MainWindow.h"

#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

#include "ImageConversions.h"
#include "celerity/Infotext.h"

namespace celerity::ui {

namespace {

QWidget* placeholder(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setAlignment(Qt::AlignCenter);
  label->setWordWrap(true);
  label->setEnabled(false);
  return label;
}

QScrollArea* scrolled(QWidget* content, QWidget* parent) {
  auto* area = new QScrollArea(parent);
  area->setWidget(content);
  area->setWidgetResizable(true);
  area->setFrameShape(QFrame::NoFrame);
  return area;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      actions_(new StudioActions(this)),
      prompts_(new PromptPanel(this)),
      parameters_(new ParametersPanel(this)),
      imageInputs_(new ImageInputsPanel(this)),
      leftTabs_(new QTabWidget(this)),
      loraTab_(new QWidget(this)),
      detailerTab_(new QWidget(this)),
      centre_(new QStackedWidget(this)),
      imageView_(new ImageView(this)),
      emptyState_(new EmptyStatePanel(this)),
      statusBar_(new StudioStatusBar(this)) {
  setObjectName(QStringLiteral("celerityMainWindow"));
  setWindowTitle(tr("Celerity"));
  resize(1440, 900);
  setAcceptDrops(true);
  setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

  // Left: the prompts above, the parameter tabs below (LoRA and ADetailer keep their places).
  for (QWidget* tab : {loraTab_, detailerTab_}) new QVBoxLayout(tab);
  setTabContent(loraTab_, placeholder(tr("LoRA networks are not available yet"), loraTab_));
  setTabContent(detailerTab_, placeholder(tr("ADetailer is not available yet"), detailerTab_));
  leftTabs_->addTab(scrolled(parameters_, leftTabs_), tr("Parameters"));
  leftTabs_->addTab(scrolled(imageInputs_, leftTabs_), tr("img2img / inpaint"));
  leftTabs_->addTab(loraTab_, tr("LoRA"));
  leftTabs_->addTab(detailerTab_, tr("ADetailer"));
  auto* left = new QSplitter(Qt::Vertical, this);
  left->addWidget(prompts_);
  left->addWidget(leftTabs_);
  left->setStretchFactor(0, 2);
  left->setStretchFactor(1, 3);

  centre_->addWidget(imageView_);
  centre_->addWidget(emptyState_);
  imageView_->canvas()->clear(tr("Write a prompt and press Ctrl+Enter"));
  imageView_->setOverlayAction(actions_->overlay);

  auto* main = new QSplitter(Qt::Horizontal, this);
  main->addWidget(left);
  main->addWidget(centre_);
  main->setStretchFactor(0, 0);
  main->setStretchFactor(1, 1);
  main->setSizes({420, 1020});
  setCentralWidget(main);
  setStatusBar(statusBar_);

  queueDock_ = addDock(tr("Queue"), QStringLiteral("queueDock"), Qt::RightDockWidgetArea);
  galleryDock_ = addDock(tr("Gallery"), QStringLiteral("galleryDock"), Qt::RightDockWidgetArea);
  optimizationDock_ = addDock(tr("Optimizations"), QStringLiteral("optimizationDock"), Qt::RightDockWidgetArea);
  timelineDock_ = addDock(tr("Timeline review"), QStringLiteral("timelineDock"), Qt::BottomDockWidgetArea);
  tabifyDockWidget(galleryDock_, optimizationDock_);
  galleryDock_->raise();

  actions_->populateMenus(menuBar(), {queueDock_->toggleViewAction(), galleryDock_->toggleViewAction(),
                                      optimizationDock_->toggleViewAction(), timelineDock_->toggleViewAction()});
  connectActions();
  setBusy(false);
  setCheckpoints({});
}

QDockWidget* MainWindow::addDock(const QString& title, const QString& name, Qt::DockWidgetArea area) {
  auto* dock = new QDockWidget(title, this);
  dock->setObjectName(name);  // saveState() needs stable names
  dock->setWidget(placeholder(tr("%1 is not available yet").arg(title), dock));
  addDockWidget(area, dock);
  return dock;
}

void MainWindow::setDockContent(QDockWidget* dock, QWidget* content) {
  QWidget* old = dock->widget();
  dock->setWidget(content);
  if (old != nullptr && old != content) old->deleteLater();
}

void MainWindow::setTabContent(QWidget* tab, QWidget* content) {
  QLayout* layout = tab->layout();
  while (QLayoutItem* item = layout->takeAt(0)) {
    if (item->widget() != nullptr && item->widget() != content) item->widget()->deleteLater();
    delete item;
  }
  layout->addWidget(content);
}

void MainWindow::setDetailerPanel(DetailerPanel* panel) {
  const Request current = request();
  detailer_ = panel;
  setTabContent(detailerTab_, panel);
  if (panel == nullptr) return;
  if (detections_ == nullptr) detections_ = new DetectionOverlay(imageView_->canvas());
  detections_->setEnabledByUser(panel->showsRegions());
  connect(panel, &DetailerPanel::showRegionsToggled, detections_, &DetectionOverlay::setEnabledByUser);
  panel->setFrom(current);
}

void MainWindow::setProfilerOverlay(QWidget* overlay) {
  QWidget* old = imageView_->canvas()->overlay();
  imageView_->canvas()->setOverlay(overlay);
  if (old != nullptr && old != overlay) old->deleteLater();
}

void MainWindow::connectActions() {
  connect(prompts_, &PromptPanel::generateRequested, this, &MainWindow::generateRequested);
  connect(prompts_, &PromptPanel::cancelRequested, this, &MainWindow::cancelRequested);
  connect(actions_->generate, &QAction::triggered, this, &MainWindow::generateRequested);
  connect(actions_->cancel, &QAction::triggered, this, &MainWindow::cancelRequested);
  connect(actions_->cancelAll, &QAction::triggered, this, &MainWindow::cancelAllRequested);
  connect(actions_->finishCurrentImage, &QAction::triggered, this, &MainWindow::finishCurrentImageRequested);
  connect(actions_->overlay, &QAction::toggled, this, &MainWindow::overlayToggled);
  connect(actions_->openParameters, &QAction::triggered, this, &MainWindow::chooseParametersFile);
  connect(actions_->openInitImage, &QAction::triggered, this, &MainWindow::chooseInitImage);
  connect(actions_->chooseModelFolder, &QAction::triggered, this, &MainWindow::chooseModelFolder);
  connect(actions_->demoCheckpoint, &QAction::triggered, this, &MainWindow::demoCheckpointRequested);
  connect(actions_->refreshCheckpoints, &QAction::triggered, this, &MainWindow::refreshCheckpointsRequested);
  connect(actions_->quit, &QAction::triggered, this, &QMainWindow::close);
  connect(actions_, &StudioActions::languageChosen, this, &MainWindow::languageChosen);
  connect(emptyState_, &EmptyStatePanel::chooseFolderRequested, this, &MainWindow::chooseModelFolder);
  connect(emptyState_, &EmptyStatePanel::demoCheckpointRequested, this, &MainWindow::demoCheckpointRequested);
  connect(parameters_, &ParametersPanel::checkpointSelected, this, &MainWindow::checkpointSelected);
  connect(parameters_, &ParametersPanel::refreshCheckpointsRequested, this, &MainWindow::refreshCheckpointsRequested);
  connect(parameters_, &ParametersPanel::stepsChanged, prompts_, &PromptPanel::setSteps);
  connect(imageInputs_, &ImageInputsPanel::chooseInitImageRequested, this, &MainWindow::chooseInitImage);
}

Request MainWindow::request() const {
  Request r = base_;
  r.prompt = prompts_->positive()->text().toStdString();
  r.negativePrompt = prompts_->negative()->text().toStdString();
  parameters_->applyTo(r);
  imageInputs_->applyTo(r);
  if (detailer_ != nullptr) detailer_->applyTo(r);
  return r;
}

void MainWindow::setRequest(const Request& request) {
  base_ = request;
  prompts_->positive()->setText(QString::fromStdString(request.prompt));
  prompts_->negative()->setText(QString::fromStdString(request.negativePrompt));
  parameters_->setFrom(request);
  imageInputs_->setFrom(request);
  if (detailer_ != nullptr) detailer_->setFrom(request);
  prompts_->setSteps(request.steps);
}

void MainWindow::setCheckpoints(const QStringList& paths, const QString& preferred) {
  parameters_->setCheckpoints(paths, preferred);
  centre_->setCurrentWidget(paths.isEmpty() ? static_cast<QWidget*>(emptyState_) : imageView_);
  actions_->generate->setEnabled(!paths.isEmpty());
  prompts_->generateButton()->setEnabled(!paths.isEmpty());
}

void MainWindow::setSearchedPlaces(const QStringList& places) { emptyState_->setSearchedPlaces(places); }

void MainWindow::setTokenCounter(const std::shared_ptr<const PromptTokenCounter>& counter) {
  prompts_->setTokenCounter(counter);
}

void MainWindow::setBusy(bool busy) {
  prompts_->setBusy(busy);
  actions_->cancel->setEnabled(busy);
  actions_->cancelAll->setEnabled(busy);
  actions_->finishCurrentImage->setEnabled(busy);
}

bool MainWindow::restoreParametersFromText(const QString& infotext) {
  if (infotext.trimmed().isEmpty()) return false;
  const GenerationParameters parameters = parametersFromInfotext(infotext.toStdString());
  Request r = request();
  applyInfotextParameters(parameters, r);
  setRequest(r);
  // A1111 names the VAE only when one was chosen: without the entry, the checkpoint's own.
  const bool vaeFound = !parameters.vaeName || parameters_->selectVaeByName(QString::fromStdString(*parameters.vaeName));
  if (!parameters.vaeName) parameters_->vaeBox()->setCurrentIndex(0);
  if (parameters.modelName && !parameters_->selectCheckpointByName(QString::fromStdString(*parameters.modelName))) {
    statusBar_->showMessage(tr("Parameters restored; checkpoint \"%1\" is not among yours")
                                .arg(QString::fromStdString(*parameters.modelName)));
  } else if (!vaeFound) {
    statusBar_->showMessage(tr("Parameters restored; VAE \"%1\" is not among yours")
                                .arg(QString::fromStdString(*parameters.vaeName)));
  } else {
    statusBar_->showMessage(tr("Parameters restored"));
  }
  return true;
}

bool MainWindow::restoreParametersFromPng(const QString& path) {
  std::optional<std::string> text;
  try {
    text = readPngInfotext(path.toStdString());
  } catch (const CelerityError& e) {
    statusBar_->showMessage(tr("Cannot read %1: %2").arg(QFileInfo(path).fileName(), QString::fromStdString(e.error().message)));
    return false;
  }
  if (!text || text->empty()) {
    statusBar_->showMessage(tr("%1 holds no generation parameters").arg(QFileInfo(path).fileName()));
    return false;
  }
  return restoreParametersFromText(QString::fromStdString(*text));
}

QString MainWindow::droppedPng(const QMimeData* mime) {
  if (mime == nullptr || !mime->hasUrls()) return {};
  for (const QUrl& url : mime->urls()) {
    if (url.isLocalFile() && url.toLocalFile().endsWith(QStringLiteral(".png"), Qt::CaseInsensitive)) {
      return url.toLocalFile();
    }
  }
  return {};
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (!droppedPng(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QString path = droppedPng(event->mimeData());
  if (path.isEmpty()) return;
  restoreParametersFromPng(path);
  event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  emit closing();
  QMainWindow::closeEvent(event);
}

void MainWindow::chooseModelFolder() {
  const QString folder = QFileDialog::getExistingDirectory(
      this, tr("Choose a models folder, or an AUTOMATIC1111 or ComfyUI install"));
  if (!folder.isEmpty()) emit modelFolderChosen(folder);
}

void MainWindow::chooseParametersFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Restore parameters from a PNG"), {},
                                                    tr("PNG images (*.png)"));
  if (!path.isEmpty()) restoreParametersFromPng(path);
}

void MainWindow::chooseInitImage() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open an init image"), {},
                                                    tr("Images (*.png *.jpg *.jpeg *.webp *.bmp)"));
  if (path.isEmpty()) return;
  if (imageInputs_->loadInitImage(path)) {
    leftTabs_->setCurrentIndex(1);
  } else {
    statusBar_->showMessage(tr("Cannot read the image %1").arg(QFileInfo(path).fileName()));
  }
}

void MainWindow::onJobStarted(JobId id, JobKind kind, const QString& label) {
  if (kind == JobKind::LoadModel) {
    statusBar_->showMessage(label);
    return;
  }
  shownJob_ = id;
  imageView_->progress()->showStarted(label);
}

void MainWindow::onJobProgress(JobId id, const ProgressEvent& progress) {
  if (id == shownJob_) imageView_->progress()->showProgress(progress);
}

void MainWindow::onJobPreview(JobId id, const PreviewEvent& preview) {
  if (id != shownJob_) return;
  try {
    imageView_->canvas()->setImage(ImageConversions::toQImage(preview),
                                   tr("Preview, step %1/%2").arg(preview.step).arg(preview.steps));
  } catch (const CelerityError&) {
    // A malformed preview is skipped; the next one (or the result) replaces it.
  }
}

void MainWindow::onJobFinished(JobId id, const JobOutput& output) {
  if (id != shownJob_) {
    statusBar_->clearMessage();
    return;
  }
  if (!output.images.empty()) {
    const GeneratedImage& first = output.images.front();
    imageView_->canvas()->setImage(ImageConversions::toQImage(first), tr("Seed %1").arg(first.seed));
    if (detections_ != nullptr) detections_->setRegions(first);
    parameters_->seed()->setLastSeed(first.seed);
  }
  imageView_->progress()->showFinished(output.profile.wallMs, static_cast<int>(output.images.size()));
}

void MainWindow::onJobCancelled(JobId id, const JobProfile&) {
  if (id == shownJob_) imageView_->progress()->showCancelled();
}

void MainWindow::onJobFailed(JobId id, const Error& error, const JobOutput&) {
  const QString message = QString::fromStdString(error.message);
  statusBar_->showMessage(tr("Job failed: %1").arg(message));
  if (id == shownJob_) imageView_->progress()->showFailed(error);
}

}  // namespace celerity::ui
