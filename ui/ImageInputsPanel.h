#pragma once
// img2img and inpaint: an init image (loaded from a file) with its denoising strength and
// resize mode, and a mask painted over it with the inpaint settings. The request carries
// file paths, so a painted mask is written to a PNG in a temporary folder after each stroke
// (a new file each time: a job already queued keeps the mask it was given).
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QLabel>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QWidget>

#include "MaskPainter.h"
#include "celerity/Request.h"

namespace celerity::ui {

class ImageInputsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ImageInputsPanel(QWidget* parent = nullptr);

  // Loads the init image and turns img2img on; false (and unchanged) when it cannot be read.
  bool loadInitImage(const QString& path);
  QString initImagePath() const { return initImagePath_; }
  // The PNG written for the current mask; empty when nothing is painted.
  QString maskPath() const { return maskPath_; }

  void applyTo(Request& request) const;
  void setFrom(const Request& request);

  QGroupBox* img2imgGroup() const { return img2img_; }
  QGroupBox* inpaintGroup() const { return inpaint_; }
  MaskPainter* painter() const { return painter_; }
  QDoubleSpinBox* denoisingBox() const { return denoising_; }
  QComboBox* resizeModeBox() const { return resizeMode_; }
  QSpinBox* maskBlurBox() const { return maskBlur_; }
  QComboBox* maskedContentBox() const { return maskedContent_; }
  QCheckBox* onlyMaskedBox() const { return onlyMasked_; }
  QSpinBox* paddingBox() const { return padding_; }
  QCheckBox* invertMaskBox() const { return invertMask_; }

 signals:
  void chooseInitImageRequested();

 private:
  void writeMask();

  QGroupBox* img2img_;
  QLabel* initLabel_;
  MaskPainter* painter_;
  QDoubleSpinBox* denoising_;
  QComboBox* resizeMode_;
  QGroupBox* inpaint_;
  QSpinBox* brush_;
  QSpinBox* maskBlur_;
  QComboBox* maskedContent_;
  QCheckBox* onlyMasked_;
  QSpinBox* padding_;
  QCheckBox* invertMask_;
  QString initImagePath_;
  QString maskPath_;
  QTemporaryDir maskFolder_;
  int maskFiles_ = 0;
};

}  // namespace celerity::ui
