#include "LoraWeightRow.h"

#include <QGridLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolButton>
#include <algorithm>
#include <cmath>

#include "celerity/LoraCatalog.h"

namespace celerity::ui {

LoraWeightRow::LoraWeightRow(const QString& name, QWidget* parent) : QWidget(parent), name_(name) {
  setObjectName(QStringLiteral("loraRow_") + name);
  auto* title = new QLabel(name.toHtmlEscaped().prepend(QStringLiteral("<b>")).append(QStringLiteral("</b>")), this);
  title->setTextInteractionFlags(Qt::TextSelectableByMouse);
  warning_ = new QLabel(this);
  warning_->setWordWrap(true);
  warning_->setStyleSheet(QStringLiteral("color: #b3261e;"));
  warning_->hide();
  remove_ = new QToolButton(this);
  remove_->setText(QStringLiteral("✕"));
  remove_->setToolTip(tr("Remove this LoRA from the prompt"));
  remove_->setAutoRaise(true);

  teSlider_ = makeSlider(tr("Text encoder weight (the first number of the tag)"));
  unetSlider_ = makeSlider(tr("UNet weight (the second number of the tag; without it the UNet follows the text encoder)"));
  teValue_ = new QLabel(this);
  unetValue_ = new QLabel(this);
  for (QLabel* value : {teValue_, unetValue_}) {
    value->setMinimumWidth(value->fontMetrics().horizontalAdvance(QStringLiteral("-0.00")));
    value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  }

  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 2, 0, 2);
  grid->addWidget(title, 0, 0, 1, 2);
  grid->addWidget(remove_, 0, 2, Qt::AlignRight);
  grid->addWidget(warning_, 1, 0, 1, 3);
  grid->addWidget(new QLabel(tr("TE"), this), 2, 0);
  grid->addWidget(teSlider_, 2, 1);
  grid->addWidget(teValue_, 2, 2);
  grid->addWidget(new QLabel(tr("UNet"), this), 3, 0);
  grid->addWidget(unetSlider_, 3, 1);
  grid->addWidget(unetValue_, 3, 2);
  grid->setColumnStretch(1, 1);

  connect(teSlider_, &QSlider::valueChanged, this, [this](int value) {
    teWeight_ = weightOf(value);
    showValues();
    emit teWeightMoved(teWeight_);
  });
  connect(unetSlider_, &QSlider::valueChanged, this, [this](int value) {
    unetWeight_ = weightOf(value);
    showValues();
    emit unetWeightMoved(unetWeight_);
  });
  connect(teSlider_, &QSlider::sliderReleased, this, &LoraWeightRow::dragFinished);
  connect(unetSlider_, &QSlider::sliderReleased, this, &LoraWeightRow::dragFinished);
  connect(remove_, &QToolButton::clicked, this, &LoraWeightRow::removeRequested);
  showValues();
}

QSlider* LoraWeightRow::makeSlider(const QString& toolTip) {
  auto* slider = new QSlider(Qt::Horizontal, this);
  slider->setRange(sliderValue(kMinWeight), sliderValue(kMaxWeight));
  slider->setSingleStep(5);
  slider->setPageStep(25);
  slider->setTickInterval(kSliderUnitsPerWeight / 2);
  slider->setTickPosition(QSlider::TicksBelow);
  slider->setToolTip(toolTip);
  slider->setValue(sliderValue(1.0));
  return slider;
}

int LoraWeightRow::sliderValue(double weight) {
  const double clamped = std::clamp(weight, kMinWeight, kMaxWeight);
  return static_cast<int>(std::lround(clamped * kSliderUnitsPerWeight));
}

void LoraWeightRow::setWeights(double teWeight, double unetWeight) {
  teWeight_ = teWeight;
  unetWeight_ = unetWeight;
  {
    const QSignalBlocker blockTe(teSlider_);
    const QSignalBlocker blockUnet(unetSlider_);
    teSlider_->setValue(sliderValue(teWeight));
    unetSlider_->setValue(sliderValue(unetWeight));
  }
  showValues();
}

void LoraWeightRow::showValues() {
  teValue_->setText(teText());
  unetValue_->setText(unetText());
}

QString LoraWeightRow::teText() const { return QString::fromStdString(formatLoraWeight(teWeight_)); }
QString LoraWeightRow::unetText() const { return QString::fromStdString(formatLoraWeight(unetWeight_)); }

void LoraWeightRow::setWarning(const QString& text) {
  warning_->setText(text);
  warning_->setVisible(!text.isEmpty());
}

QString LoraWeightRow::warning() const { return warning_->text(); }

bool LoraWeightRow::isDragging() const { return teSlider_->isSliderDown() || unetSlider_->isSliderDown(); }

}  // namespace celerity::ui
