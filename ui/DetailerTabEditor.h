#pragma once
// One ADetailer tab: its enable switch and every option of celerity::DetailerTab, laid out as
// the extension does — detection, mask preprocessing, inpainting, then the optional overrides
// (a checkbox each: unchecked = the main request's value). It reads and writes a DetailerTab
// (tab() / setTab()); the panel around it owns the tabs.
#include <QComboBox>
#include <QStringList>
#include <QWidget>

#include "celerity/DetailerOptions.h"

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;

namespace celerity::ui {

class DetailerTabEditor : public QWidget {
  Q_OBJECT

 public:
  explicit DetailerTabEditor(QWidget* parent = nullptr);

  DetailerTab tab() const;
  void setTab(const DetailerTab& tab);

  // Detector files found in the detector folders (file names); the built-in face detector
  // is always listed first. A model the tab names that is not found stays, marked as such.
  void setDetectorModels(const QStringList& fileNames);
  // Checkpoints for the checkpoint override (full paths; the combo shows file names).
  void setCheckpoints(const QStringList& paths);
  // Standalone VAE files for the VAE override (full paths), after "None" (the checkpoint's own).
  void setVaeFiles(const QStringList& paths);

  bool isTabEnabled() const;
  QCheckBox* enabledBox() const { return enabled_; }
  QComboBox* modelBox() const { return model_; }

  // The combo's label for a detector file name ("haar_face (built-in face detector)").
  static QString modelLabel(const QString& fileName);

 signals:
  void enabledChanged(bool enabled);

 private:
  // A checkbox that enables the value widget beside it (an optional override).
  QCheckBox* overrideBox(const QString& name, QWidget* value);
  void selectModel(const QString& fileName);
  void updateEnabledParts();

  QCheckBox* enabled_;
  QComboBox* model_;
  QPlainTextEdit* prompt_;
  QPlainTextEdit* negativePrompt_;
  QDoubleSpinBox* confidence_;
  QDoubleSpinBox* maskMinRatio_;
  QDoubleSpinBox* maskMaxRatio_;
  QSpinBox* topK_;
  QComboBox* topKBy_;
  QComboBox* sortOrder_;
  QSpinBox* xOffset_;
  QSpinBox* yOffset_;
  QSpinBox* dilateErode_;
  QComboBox* mergeMode_;
  QSpinBox* maskBlur_;
  QDoubleSpinBox* denoising_;
  QCheckBox* onlyMasked_;
  QSpinBox* padding_;
  QComboBox* inpaintSize_;
  QSpinBox* inpaintWidth_;
  QSpinBox* inpaintHeight_;
  QCheckBox* useSteps_;
  QSpinBox* steps_;
  QCheckBox* useCfg_;
  QDoubleSpinBox* cfg_;
  QCheckBox* useSampler_;
  QComboBox* sampler_;
  QCheckBox* useScheduler_;
  QComboBox* scheduler_;
  QCheckBox* useCheckpoint_;
  QComboBox* checkpoint_;
  QCheckBox* useVae_;
  QComboBox* vae_;
  QCheckBox* useClipSkip_;
  QSpinBox* clipSkip_;
  QCheckBox* useNoise_;
  QDoubleSpinBox* noise_;
  QStringList models_;  // found files, without the built-in
};

}  // namespace celerity::ui
