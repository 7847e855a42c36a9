#pragma once
// The studio window. It composes the panels — prompts and parameters on the left, the image
// with live previews, progress and the profiler overlay in the centre (or the first-run
// empty state), docks for the queue, gallery, optimizations and timeline review — and
// binds them to one Request. It knows no engine thread: the studio session (app/studio)
// connects its signals to the EngineController and feeds the engine's events back in.
#include <QDockWidget>
#include <QMainWindow>
#include <QStackedWidget>
#include <QTabWidget>
#include <memory>
#include <vector>

#include "DetailerPanel.h"
#include "DetectionOverlay.h"
#include "EmptyStatePanel.h"
#include "ImageInputsPanel.h"
#include "ImageView.h"
#include "ParametersPanel.h"
#include "PromptPanel.h"
#include "StudioActions.h"
#include "StudioStatusBar.h"
#include "celerity/Engine.h"
#include "celerity/Events.h"
#include "celerity/PromptTokens.h"
#include "celerity/Request.h"

class QMimeData;

namespace celerity::ui {

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);

  // The request the widgets describe (on top of the fields no widget edits: toggles,
  // output folder, SDXL size conditioning) — and back.
  Request request() const;
  void setRequest(const Request& request);
  void setOptimizations(const std::map<std::string, bool>& toggles) { base_.optimizations = toggles; }
  void setOutputFolder(const QString& folder) { base_.outputFolder = folder.toStdString(); }

  // Checkpoints found; none shows the first-run empty state with the searched places.
  void setCheckpoints(const QStringList& paths, const QString& preferred = {});
  void setSearchedPlaces(const QStringList& places);
  bool isShowingEmptyState() const { return centre_->currentWidget() == emptyState_; }
  void setTokenCounter(const std::shared_ptr<const PromptTokenCounter>& counter);
  void setBusy(bool busy);

  // Reads the PNG's A1111 parameters into the widgets; false (with a status message) when
  // the file has none or cannot be read.
  bool restoreParametersFromPng(const QString& path);
  bool restoreParametersFromText(const QString& infotext);

  // Slots for the views built elsewhere; each replaces a placeholder.
  void setProfilerOverlay(QWidget* overlay);
  void setQueueView(QWidget* view) { setDockContent(queueDock_, view); }
  void setGalleryView(QWidget* view) { setDockContent(galleryDock_, view); }
  void setTimelineReview(QWidget* view) { setDockContent(timelineDock_, view); }
  void setOptimizationPanel(QWidget* panel) { setDockContent(optimizationDock_, panel); }
  void setLoraPanel(QWidget* panel) { setTabContent(loraTab_, panel); }
  // The ADetailer panel: its parameters become part of request() / setRequest(), and its
  // "show detected regions" switch drives the mask preview over the finished image.
  void setDetailerPanel(DetailerPanel* panel);
  DetailerPanel* detailerPanel() const { return detailer_; }
  DetectionOverlay* detectionOverlay() const { return detections_; }

  PromptPanel* prompts() const { return prompts_; }
  ParametersPanel* parameters() const { return parameters_; }
  ImageInputsPanel* imageInputs() const { return imageInputs_; }
  ImageView* imageView() const { return imageView_; }
  EmptyStatePanel* emptyState() const { return emptyState_; }
  StudioStatusBar* studioStatusBar() const { return statusBar_; }
  StudioActions* actions() const { return actions_; }
  QDockWidget* queueDock() const { return queueDock_; }
  QDockWidget* galleryDock() const { return galleryDock_; }
  QDockWidget* timelineDock() const { return timelineDock_; }
  QDockWidget* optimizationDock() const { return optimizationDock_; }

  // A dropped file or text the window can restore parameters from.
  static QString droppedPng(const QMimeData* mime);

 public slots:
  void onJobStarted(celerity::JobId id, celerity::JobKind kind, const QString& label);
  void onJobProgress(celerity::JobId id, const celerity::ProgressEvent& progress);
  void onJobPreview(celerity::JobId id, const celerity::PreviewEvent& preview);
  void onJobFinished(celerity::JobId id, const celerity::JobOutput& output);
  void onJobCancelled(celerity::JobId id, const celerity::JobProfile& profile);
  void onJobFailed(celerity::JobId id, const celerity::Error& error, const celerity::JobOutput& partial);

 signals:
  void generateRequested();
  void cancelRequested();
  void cancelAllRequested();
  void finishCurrentImageRequested();
  void checkpointSelected(const QString& path);
  void refreshCheckpointsRequested();
  void modelFolderChosen(const QString& folder);
  void demoCheckpointRequested();
  void languageChosen(const QString& code);
  void overlayToggled(bool visible);
  // Emitted from closeEvent, before the window goes: the session saves its settings.
  void closing();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  QDockWidget* addDock(const QString& title, const QString& name, Qt::DockWidgetArea area);
  void setDockContent(QDockWidget* dock, QWidget* content);
  void setTabContent(QWidget* tab, QWidget* content);
  void connectActions();
  void chooseModelFolder();
  void chooseParametersFile();
  void chooseInitImage();

  Request base_;
  StudioActions* actions_;
  PromptPanel* prompts_;
  ParametersPanel* parameters_;
  ImageInputsPanel* imageInputs_;
  QTabWidget* leftTabs_;
  QWidget* loraTab_;
  QWidget* detailerTab_;
  QStackedWidget* centre_;
  ImageView* imageView_;
  EmptyStatePanel* emptyState_;
  StudioStatusBar* statusBar_;
  QDockWidget* queueDock_;
  QDockWidget* galleryDock_;
  QDockWidget* optimizationDock_;
  QDockWidget* timelineDock_;
  JobId shownJob_ = 0;  // the generation job whose progress and previews are shown
  DetailerPanel* detailer_ = nullptr;
  DetectionOverlay* detections_ = nullptr;
};

}  // namespace celerity::ui
