#pragma once
// Width and height (multiples of 8, as the engine requires), a swap button and presets for
// the usual SD 1.x and SDXL sizes.
#include <QComboBox>
#include <QSpinBox>
#include <QToolButton>
#include <QWidget>

#include "celerity/Request.h"

namespace celerity::ui {

class SizeControls : public QWidget {
  Q_OBJECT

 public:
  explicit SizeControls(QWidget* parent = nullptr);

  int imageWidth() const { return width_->value(); }
  int imageHeight() const { return height_->value(); }
  void setImageSize(int width, int height);
  void swap();
  // Picks preset `index` of presets() (the combo's first entry is a "Presets" title).
  void applyPreset(int index);
  static const QList<QSize>& presets();

  void applyTo(Request& request) const;
  void setFrom(const Request& request);

  QSpinBox* widthBox() const { return width_; }
  QSpinBox* heightBox() const { return height_; }
  QToolButton* swapButton() const { return swap_; }

 signals:
  void sizeChanged(int width, int height);

 private:
  QSpinBox* width_;
  QSpinBox* height_;
  QToolButton* swap_;
  QComboBox* presets_;
};

}  // namespace celerity::ui
