#pragma once
// The generation parameters as A1111 lays them out: checkpoint and VAE, sampler and schedule, steps,
// CFG scale, seed, size, batch count and size, clip skip, and the hires fix group. It reads
// from and writes to a Request (applyTo / setFrom) so that the window, the settings and the
// PNG drop all go through one binding.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSpinBox>
#include <QStringList>
#include <QToolButton>
#include <QWidget>

#include "HiresGroup.h"
#include "SeedControls.h"
#include "SizeControls.h"
#include "celerity/Request.h"

namespace celerity::ui {

class ParametersPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ParametersPanel(QWidget* parent = nullptr);

  // Full paths; the combo shows file names. Keeps the current checkpoint when it is still
  // listed, else selects `preferred` (when listed) or the first.
  void setCheckpoints(const QStringList& paths, const QString& preferred = {});
  QString currentCheckpoint() const;
  void setCurrentCheckpoint(const QString& path);
  // Selects the listed checkpoint whose file name (without extension) is `name` (an
  // infotext's "Model"); false when none is.
  bool selectCheckpointByName(const QString& name);
  // Standalone VAE files (full paths) offered besides "Automatic" (the checkpoint's own VAE,
  // A1111's default); the current one stays selected while it is listed.
  void setVaeFiles(const QStringList& paths);
  QString currentVae() const;  // "" = the checkpoint's own
  // Selects the listed VAE with this file name (an infotext's "VAE"); false when none is.
  bool selectVaeByName(const QString& fileName);

  void applyTo(Request& request) const;
  void setFrom(const Request& request);

  QComboBox* checkpointBox() const { return checkpoint_; }
  QComboBox* vaeBox() const { return vae_; }
  QComboBox* samplerBox() const { return sampler_; }
  QComboBox* scheduleBox() const { return schedule_; }
  QSpinBox* stepsBox() const { return steps_; }
  QDoubleSpinBox* cfgBox() const { return cfg_; }
  SeedControls* seed() const { return seed_; }
  SizeControls* size() const { return size_; }
  QSpinBox* batchCountBox() const { return batchCount_; }
  QSpinBox* batchSizeBox() const { return batchSize_; }
  QSpinBox* clipSkipBox() const { return clipSkip_; }
  HiresGroup* hires() const { return hires_; }

 signals:
  // The user picked a checkpoint (the studio preloads it).
  void checkpointSelected(const QString& path);
  void refreshCheckpointsRequested();
  void stepsChanged(int steps);

 private:
  static void selectOrAdd(QComboBox* box, const QString& value, int foundIndex);

  QComboBox* checkpoint_;
  QToolButton* refresh_;
  QComboBox* vae_;
  QComboBox* sampler_;
  QComboBox* schedule_;
  QSpinBox* steps_;
  QDoubleSpinBox* cfg_;
  SeedControls* seed_;
  SizeControls* size_;
  QSpinBox* batchCount_;
  QSpinBox* batchSize_;
  QSpinBox* clipSkip_;
  HiresGroup* hires_;
};

}  // namespace celerity::ui
