#include "HiresGroup.h"

#include <QFormLayout>

#include "celerity/Catalog.h"

namespace celerity::ui {

HiresGroup::HiresGroup(QWidget* parent)
    : QGroupBox(tr("Hires. fix"), parent),
      scale_(new QDoubleSpinBox(this)),
      upscaler_(new QComboBox(this)),
      steps_(new QSpinBox(this)),
      denoising_(new QDoubleSpinBox(this)) {
  setObjectName(QStringLiteral("hiresGroup"));
  setCheckable(true);
  setChecked(false);
  setToolTip(tr("Generate at the set size, upscale, then refine with a second sampling pass"));

  scale_->setObjectName(QStringLiteral("hiresScale"));
  scale_->setRange(1.0, 4.0);
  scale_->setSingleStep(0.05);
  scale_->setDecimals(2);
  scale_->setPrefix(QStringLiteral("×"));
  upscaler_->setObjectName(QStringLiteral("hiresUpscaler"));
  upscaler_->addItems(upscalers());
  steps_->setObjectName(QStringLiteral("hiresSteps"));
  steps_->setRange(0, 150);
  steps_->setSpecialValueText(tr("same as sampling"));
  denoising_->setObjectName(QStringLiteral("hiresDenoising"));
  denoising_->setRange(0.0, 1.0);
  denoising_->setSingleStep(0.05);
  denoising_->setDecimals(2);

  auto* form = new QFormLayout(this);
  form->addRow(tr("Upscale by"), scale_);
  form->addRow(tr("Upscaler"), upscaler_);
  form->addRow(tr("Hires steps"), steps_);
  form->addRow(tr("Denoising strength"), denoising_);
  setFrom(Request{});
}

QStringList HiresGroup::upscalers() {
  QStringList names;
  for (const auto& name : hiresUpscalerCatalog()) names << QString::fromStdString(name);
  return names;
}

void HiresGroup::applyTo(Request& request) const {
  request.hires.enabled = isChecked();
  request.hires.scale = scale_->value();
  request.hires.upscaler = upscaler_->currentText().toStdString();
  request.hires.steps = steps_->value();
  request.hires.denoisingStrength = denoising_->value();
}

void HiresGroup::setFrom(const Request& request) {
  setChecked(request.hires.enabled);
  scale_->setValue(request.hires.scale);
  const QString upscaler = QString::fromStdString(request.hires.upscaler);
  int index = upscaler_->findText(upscaler);
  if (index < 0) {  // a name from an infotext this engine does not have: shown, sent as is
    upscaler_->addItem(upscaler);
    index = upscaler_->count() - 1;
  }
  upscaler_->setCurrentIndex(index);
  steps_->setValue(request.hires.steps);
  denoising_->setValue(request.hires.denoisingStrength);
}

}  // namespace celerity::ui
