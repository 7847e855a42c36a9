#pragma once
// The "Hires. fix" group: a checkable box with the upscale factor, the upscaler, the second
// pass's steps (0 = as many as the first pass) and its denoising strength.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QSpinBox>

#include "celerity/Request.h"

namespace celerity::ui {

class HiresGroup : public QGroupBox {
  Q_OBJECT

 public:
  explicit HiresGroup(QWidget* parent = nullptr);

  void applyTo(Request& request) const;
  void setFrom(const Request& request);

  QDoubleSpinBox* scaleBox() const { return scale_; }
  QComboBox* upscalerBox() const { return upscaler_; }
  QSpinBox* stepsBox() const { return steps_; }
  QDoubleSpinBox* denoisingBox() const { return denoising_; }

  // The upscalers the engine's hires pass accepts.
  static QStringList upscalers();

 private:
  QDoubleSpinBox* scale_;
  QComboBox* upscaler_;
  QSpinBox* steps_;
  QDoubleSpinBox* denoising_;
};

}  // namespace celerity::ui
