#include "SeedControls.h"

#include <QHBoxLayout>
#include <QRegularExpressionValidator>

namespace celerity::ui {

SeedControls::SeedControls(QWidget* parent)
    : QWidget(parent), field_(new QLineEdit(this)), random_(new QToolButton(this)), reuse_(new QToolButton(this)) {
  field_->setObjectName(QStringLiteral("seedField"));
  field_->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("-1|\\d{1,19}")), field_));
  field_->setToolTip(tr("Seed; −1 picks a random seed for every job"));
  random_->setObjectName(QStringLiteral("randomSeedButton"));
  random_->setText(tr("Random"));
  random_->setToolTip(tr("Random seed (−1)"));
  reuse_->setObjectName(QStringLiteral("reuseSeedButton"));
  reuse_->setText(tr("Reuse"));
  reuse_->setToolTip(tr("Reuse the seed of the last image"));
  reuse_->setEnabled(false);

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(field_, 1);
  layout->addWidget(random_);
  layout->addWidget(reuse_);

  connect(random_, &QToolButton::clicked, this, [this]() { setSeed(-1); });
  connect(reuse_, &QToolButton::clicked, this, [this]() {
    if (lastSeed_) setSeed(*lastSeed_);
  });
  setSeed(-1);
}

std::int64_t SeedControls::seed() const {
  bool ok = false;
  const qlonglong value = field_->text().toLongLong(&ok);
  return ok && value >= -1 ? value : -1;
}

void SeedControls::setSeed(std::int64_t seed) { field_->setText(QString::number(seed < -1 ? -1 : seed)); }

void SeedControls::setLastSeed(std::int64_t seed) {
  lastSeed_ = seed;
  reuse_->setEnabled(true);
  reuse_->setToolTip(tr("Reuse the seed of the last image (%1)").arg(seed));
}

}  // namespace celerity::ui
