#pragma once
// The window's status bar: messages on the left; on the right the models the engine keeps
// loaded (name, family, size; the tooltip has every detail) and the process's memory use,
// refreshed every few seconds.
#include <QLabel>
#include <QStatusBar>
#include <QTimer>
#include <cstdint>
#include <vector>

#include "celerity/Engine.h"

namespace celerity::ui {

class StudioStatusBar : public QStatusBar {
  Q_OBJECT

 public:
  explicit StudioStatusBar(QWidget* parent = nullptr);

  void setLoadedModels(const std::vector<LoadedModelInfo>& models);
  void setEngineDevice(const QString& device);
  // Reads the resident set size now (Linux /proc; elsewhere the label stays empty).
  void refreshMemory();

  QString modelsText() const { return models_->text(); }
  QString memoryText() const { return memory_->text(); }

  // Resident memory of this process in bytes; −1 where it cannot be read.
  static std::int64_t residentBytes();

 private:
  QLabel* device_;
  QLabel* models_;
  QLabel* memory_;
  QTimer timer_;
  std::int64_t modelBytes_ = 0;
};

}  // namespace celerity::ui
