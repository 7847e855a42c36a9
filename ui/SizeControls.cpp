#include "SizeControls.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>

namespace celerity::ui {

namespace {

QSpinBox* sizeBox(QWidget* parent, const QString& name) {
  auto* box = new QSpinBox(parent);
  box->setObjectName(name);
  box->setRange(64, 4096);
  box->setSingleStep(64);
  box->setValue(512);
  box->setSuffix(QStringLiteral(" px"));
  box->setCorrectionMode(QAbstractSpinBox::CorrectToNearestValue);
  return box;
}

}  // namespace

SizeControls::SizeControls(QWidget* parent)
    : QWidget(parent),
      width_(sizeBox(this, QStringLiteral("widthBox"))),
      height_(sizeBox(this, QStringLiteral("heightBox"))),
      swap_(new QToolButton(this)),
      presets_(new QComboBox(this)) {
  width_->setToolTip(tr("Width (a multiple of 8)"));
  height_->setToolTip(tr("Height (a multiple of 8)"));
  swap_->setText(QStringLiteral("⇅"));
  swap_->setObjectName(QStringLiteral("swapSizeButton"));
  swap_->setToolTip(tr("Swap width and height"));
  presets_->setObjectName(QStringLiteral("sizePresets"));
  presets_->addItem(tr("Presets"));
  for (const QSize& size : presets()) {
    presets_->addItem(QStringLiteral("%1×%2").arg(size.width()).arg(size.height()));
  }

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(width_, 1);
  layout->addWidget(new QLabel(QStringLiteral("×"), this));
  layout->addWidget(height_, 1);
  layout->addWidget(swap_);
  layout->addWidget(presets_);

  // Engine sizes are multiples of 8: round what the user types once editing ends.
  for (QSpinBox* box : {width_, height_}) {
    connect(box, &QSpinBox::editingFinished, this, [box]() {
      const int rounded = (box->value() + 4) / 8 * 8;
      if (rounded != box->value()) box->setValue(rounded);
    });
    connect(box, &QSpinBox::valueChanged, this, [this]() { emit sizeChanged(imageWidth(), imageHeight()); });
  }
  connect(swap_, &QToolButton::clicked, this, &SizeControls::swap);
  connect(presets_, &QComboBox::activated, this, [this](int index) {
    applyPreset(index - 1);
    const QSignalBlocker blocker(presets_);
    presets_->setCurrentIndex(0);
  });
}

const QList<QSize>& SizeControls::presets() {
  static const QList<QSize> sizes = {{512, 512},   {512, 768},   {768, 512},  {768, 768},
                                     {1024, 1024}, {832, 1216},  {1216, 832}, {896, 1152},
                                     {1152, 896},  {768, 1344},  {1344, 768}};
  return sizes;
}

void SizeControls::setImageSize(int width, int height) {
  width_->setValue(width);
  height_->setValue(height);
}

void SizeControls::swap() { setImageSize(imageHeight(), imageWidth()); }

void SizeControls::applyPreset(int index) {
  if (index < 0 || index >= presets().size()) return;
  const QSize size = presets()[index];
  setImageSize(size.width(), size.height());
}

void SizeControls::applyTo(Request& request) const {
  request.width = imageWidth();
  request.height = imageHeight();
}

void SizeControls::setFrom(const Request& request) { setImageSize(request.width, request.height); }

}  // namespace celerity::ui
