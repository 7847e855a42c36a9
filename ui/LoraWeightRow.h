#pragma once
// One LoRA of the prompt in the LoRA panel's active list: its name, a text-encoder and a
// UNet weight slider with their values, a warning line (not found, made for another base
// model, a malformed tag) and a remove button. The row shows the tag's weights; it edits
// nothing itself: moving a slider emits the new weight and the panel rewrites the tag.
#include <QString>
#include <QWidget>

class QLabel;
class QSlider;
class QToolButton;

namespace celerity::ui {

class LoraWeightRow : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kSliderUnitsPerWeight = 100;  // the sliders move in steps of 0.01
  static constexpr double kMinWeight = -1.0;
  static constexpr double kMaxWeight = 2.0;

  explicit LoraWeightRow(const QString& name, QWidget* parent = nullptr);

  QString name() const { return name_; }
  // The tag's weights; a slider clamps values outside its range, the label shows them whole.
  // Emits nothing.
  void setWeights(double teWeight, double unetWeight);
  double teWeight() const { return teWeight_; }
  double unetWeight() const { return unetWeight_; }
  // Empty hides the warning line.
  void setWarning(const QString& text);
  QString warning() const;

  QSlider* teSlider() const { return teSlider_; }
  QSlider* unetSlider() const { return unetSlider_; }
  QString teText() const;
  QString unetText() const;
  QToolButton* removeButton() const { return remove_; }
  // A slider is held by the mouse (the panel merges a drag's edits into one undo step).
  bool isDragging() const;

  static int sliderValue(double weight);
  static double weightOf(int sliderValue) { return static_cast<double>(sliderValue) / kSliderUnitsPerWeight; }

 signals:
  void teWeightMoved(double weight);
  void unetWeightMoved(double weight);
  void dragFinished();
  void removeRequested();

 private:
  QSlider* makeSlider(const QString& toolTip);
  void showValues();

  QString name_;
  QLabel* warning_;
  QSlider* teSlider_;
  QSlider* unetSlider_;
  QLabel* teValue_;
  QLabel* unetValue_;
  QToolButton* remove_;
  double teWeight_ = 1.0;
  double unetWeight_ = 1.0;
};

}  // namespace celerity::ui
