#pragma once
// The studio put together: the window and its views, the settings, the model folders and
// the engine controller, wired so that the window's requests become jobs and the engine's
// events reach every view (through JobFeed). The composition root (app/main.cpp) makes
// the controller, the settings and the services; tests make them with fakes.
#include <QObject>
#include <QString>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "EngineController.h"
#include "JobFeed.h"
#include "LoraPanel.h"
#include "MainWindow.h"
#include "ModelFolders.h"
#include "OptimizationPanel.h"
#include "StudioSettings.h"
#include "celerity/PromptTokens.h"

namespace celerity::studio {

// Writes the demo checkpoint (tiny random SD 1.5 weights) to a path; throws on failure.
using DemoCheckpointFactory = std::function<void(const std::string& path)>;

struct StudioServices {
  DemoCheckpointFactory makeDemoCheckpoint;  // may be empty: the demo button is disabled
  std::shared_ptr<const PromptTokenCounter> tokenCounter;  // may be null: no token counts
  QString studioModelsFolder;  // always searched; the demo checkpoint is written here
  QString defaultOutputFolder;  // used when the settings name none; empty: images not saved
};

class StudioSession : public QObject {
  Q_OBJECT

 public:
  static constexpr const char* kDemoCheckpointName = "celerity-demo-sd15-tiny-random-weights.safetensors";

  StudioSession(EngineController& controller, StudioSettings& settings, StudioServices services,
                QObject* parent = nullptr);
  ~StudioSession() override;

  ui::MainWindow* window() const { return window_.get(); }
  ui::OptimizationPanel* optimizationPanel() const { return optimizations_; }
  ui::LoraPanel* loraPanel() const { return loras_; }
  ui::DetailerPanel* detailerPanel() const { return detailer_; }
  ui::TimelineReview* timeline() const { return timeline_; }
  ui::GalleryView* gallery() const { return gallery_; }
  ui::QueueView* queue() const { return queue_; }
  ui::ProfilerOverlay* overlay() const { return overlay_; }
  const ModelFolders& modelFolders() const { return folders_; }

  // The window's request, queued (output folder filled in). 0 when nothing was queued.
  JobId generate();
  // Looks for checkpoints (and ADetailer's detector models) again and updates the window (or
  // its empty state).
  void refreshCheckpoints();
  // Adds a models root (an install or a folder), saves it, rescans; when no checkpoint was
  // selected before, the first one found is selected and preloaded.
  void addModelFolder(const QString& folder);
  // Adds the checkpoint's folder as a root and selects (and preloads) that checkpoint.
  void openCheckpoint(const QString& file);
  // Writes the demo checkpoint into the studio's models folder, selects and preloads it.
  // False (with a message in the status bar) when it cannot be made.
  bool createDemoCheckpoint();
  // "A/B this": one A/B job of the current request with toggle `id` off (A) and on (B), same
  // seed, nothing saved — the panel's warm-ups, then its repeats interleaved A B A B … on the
  // engine thread, progress in the panel, the queue and under the image. The report lands in
  // the timeline review, selected (both arms side by side, per-stage median deltas, ratio,
  // image difference), and becomes the toggle's "last measured" effect. 0 when not queued.
  JobId runAb(const QString& id);
  // Saves geometry, dock layout, the request, folders and view toggles.
  void saveSettings();
  // Remembers `path` as the chosen checkpoint and preloads it.
  void selectCheckpoint(const QString& path);

 private:
  void restoreSettings();
  // The LoRA panel's badges compare with the selected checkpoint's family once it is loaded.
  void updateLoraFamily();
  void connectWindow();
  void cancelRunning();

  EngineController& controller_;
  StudioSettings& settings_;
  StudioServices services_;
  ModelFolders folders_;
  std::unique_ptr<ui::MainWindow> window_;
  ui::ProfilerOverlay* overlay_;
  ui::QueueView* queue_;
  ui::GalleryView* gallery_;
  ui::TimelineReview* timeline_;
  ui::OptimizationPanel* optimizations_;
  ui::LoraPanel* loras_;
  ui::DetailerPanel* detailer_;
  JobFeed* feed_;
  std::map<JobId, QString> abToggles_;  // running or pending A/B jobs → their toggle
};

}  // namespace celerity::studio
