#include "OptimizationPanel.h"

#include <QCheckBox>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace celerity::ui {
namespace {

QString stagesText(const OptimizationInfo& info) {
  QStringList stages;
  for (const auto& stage : info.stages) stages << QString::fromStdString(stage);
  return stages.join(QStringLiteral(", "));
}

QString objectNameFor(const char* kind, const std::string& id) {
  return QLatin1String(kind) + QLatin1Char(':') + QString::fromStdString(id);
}

}  // namespace

QString OptimizationPanel::numericsText(NumericsClass numerics) {
  switch (numerics) {
    case NumericsClass::Exact: return tr("exact");
    case NumericsClass::WithinTolerance: return tr("within tolerance");
    case NumericsClass::ChangesImage: return tr("changes image");
    case NumericsClass::Invalid: break;
  }
  return tr("unknown");
}

OptimizationPanel::OptimizationPanel(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("optimizationPanel"));

  auto* defaults = new QPushButton(tr("Defaults"), this);
  defaults->setObjectName(QStringLiteral("presetDefaults"));
  defaults->setToolTip(tr("Every optimization at its default"));
  auto* allOn = new QPushButton(tr("All on"), this);
  allOn->setObjectName(QStringLiteral("presetAllOn"));
  allOn->setToolTip(tr("Every optimization this device supports"));
  auto* allOff = new QPushButton(tr("All off"), this);
  allOff->setObjectName(QStringLiteral("presetAllOff"));
  allOff->setToolTip(tr("No optimization: the reference to measure against"));
  connect(defaults, &QPushButton::clicked, this, [this] { applyPreset(Preset::Defaults); });
  connect(allOn, &QPushButton::clicked, this, [this] { applyPreset(Preset::AllOn); });
  connect(allOff, &QPushButton::clicked, this, [this] { applyPreset(Preset::AllOff); });
  auto* presets = new QHBoxLayout;
  presets->addWidget(new QLabel(tr("Presets:"), this));
  presets->addWidget(defaults);
  presets->addWidget(allOn);
  presets->addWidget(allOff);
  presets->addStretch(1);

  abWarmup_ = new QSpinBox(this);
  abWarmup_->setObjectName(QStringLiteral("abWarmup"));
  abWarmup_->setRange(0, 10);
  abWarmup_->setValue(1);
  abWarmup_->setToolTip(tr("Unmeasured runs per arm first (loading, caches, allocator warm-up)"));
  abRepeat_ = new QSpinBox(this);
  abRepeat_->setObjectName(QStringLiteral("abRepeat"));
  abRepeat_->setRange(1, 50);
  abRepeat_->setValue(3);
  abRepeat_->setToolTip(tr("Measured runs per arm, interleaved A B A B …; the report takes their medians"));
  auto* abRuns = new QHBoxLayout;
  abRuns->addWidget(new QLabel(tr("A/B runs per arm:"), this));
  abRuns->addWidget(abWarmup_);
  abRuns->addWidget(new QLabel(tr("warm-up +"), this));
  abRuns->addWidget(abRepeat_);
  abRuns->addWidget(new QLabel(tr("measured"), this));
  abRuns->addStretch(1);
  abStatus_ = new QLabel(this);
  abStatus_->setObjectName(QStringLiteral("abStatus"));
  abStatus_->setWordWrap(true);
  abStatus_->setVisible(false);
  abProgress_ = new QProgressBar(this);
  abProgress_->setObjectName(QStringLiteral("abProgress"));
  abProgress_->setTextVisible(false);
  abProgress_->setMaximumHeight(8);
  abProgress_->setVisible(false);

  auto* list = new QWidget;
  auto* listLayout = new QVBoxLayout(list);
  for (const OptimizationInfo& info : optimizationCatalog()) {
    listLayout->addWidget(makeRow(info, list));
  }
  listLayout->addStretch(1);
  auto* scroll = new QScrollArea(this);
  scroll->setWidget(list);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(presets);
  layout->addLayout(abRuns);
  layout->addWidget(abStatus_);
  layout->addWidget(abProgress_);
  layout->addWidget(scroll, 1);
  refreshAvailability();
}

QWidget* OptimizationPanel::makeRow(const OptimizationInfo& info, QWidget* parent) {
  auto* frame = new QFrame(parent);
  frame->setObjectName(objectNameFor("row", info.id));
  frame->setFrameShape(QFrame::StyledPanel);

  Row row;
  row.info = &info;
  row.check = new QCheckBox(QString::fromStdString(info.title), frame);
  row.check->setObjectName(objectNameFor("toggle", info.id));
  row.check->setChecked(info.defaultOn);
  row.check->setToolTip(tr("%1 (default: %2)")
                            .arg(QString::fromStdString(info.id), info.defaultOn ? tr("on") : tr("off")));
  // clicked, not toggled: only the user's changes are announced, never setOverrides().
  connect(row.check, &QCheckBox::clicked, this, [this] { emit overridesChanged(overrides()); });

  row.badge = new QLabel(numericsText(info.numerics), frame);
  row.badge->setObjectName(objectNameFor("badge", info.id));
  const bool changesImage = info.numerics == NumericsClass::ChangesImage;
  row.badge->setProperty("changesImage", changesImage);
  if (changesImage) {  // the one class that matters to the picture: make it stand out
    row.badge->setStyleSheet(QStringLiteral(
        "QLabel { background: #e65100; color: white; border-radius: 3px; padding: 1px 5px; font-weight: bold; }"));
    row.badge->setToolTip(tr("Switching this changes the image; it is recorded in the PNG metadata"));
  } else {
    row.badge->setStyleSheet(QStringLiteral(
        "QLabel { border: 1px solid palette(mid); border-radius: 3px; padding: 1px 5px; }"));
    row.badge->setToolTip(info.numerics == NumericsClass::Exact
                              ? tr("Bit-identical images on and off")
                              : tr("Differences at rounding level only"));
  }

  row.abButton = new QToolButton(frame);
  row.abButton->setObjectName(objectNameFor("ab", info.id));
  row.abButton->setText(tr("A/B this"));
  row.abButton->setToolTip(tr("Run the current request with this optimization off and on, and compare"));
  const QString id = QString::fromStdString(info.id);
  connect(row.abButton, &QToolButton::clicked, this, [this, id] { emit abRequested(id); });

  auto* description = new QLabel(QString::fromStdString(info.description), frame);
  description->setObjectName(objectNameFor("description", info.id));
  description->setWordWrap(true);
  auto* details = new QLabel(tr("%1 · affects %2").arg(id, stagesText(info)), frame);
  details->setEnabled(false);  // secondary text

  row.reason = new QLabel(frame);
  row.reason->setObjectName(objectNameFor("reason", info.id));
  row.reason->setWordWrap(true);
  row.reason->setStyleSheet(QStringLiteral("QLabel { color: #b71c1c; }"));
  row.effect = new QLabel(frame);
  row.effect->setObjectName(objectNameFor("effect", info.id));
  row.effect->setWordWrap(true);
  row.effect->setVisible(false);

  auto* grid = new QGridLayout(frame);
  grid->addWidget(row.check, 0, 0);
  grid->addWidget(row.badge, 0, 1, Qt::AlignLeft);
  grid->addWidget(row.abButton, 0, 2, Qt::AlignRight);
  grid->addWidget(description, 1, 0, 1, 3);
  grid->addWidget(details, 2, 0, 1, 3);
  grid->addWidget(row.reason, 3, 0, 1, 3);
  grid->addWidget(row.effect, 4, 0, 1, 3);
  grid->setColumnStretch(2, 1);

  rows_[info.id] = row;
  return frame;
}

const OptimizationPanel::Row* OptimizationPanel::row(const QString& id) const {
  const auto it = rows_.find(id.toStdString());
  return it == rows_.end() ? nullptr : &it->second;
}

void OptimizationPanel::setCapabilities(const DeviceCapabilities& capabilities) {
  capabilities_ = capabilities;
  refreshAvailability();
}

void OptimizationPanel::refreshAvailability() {
  for (auto& [id, row] : rows_) {
    const QString reason = QString::fromStdString(unavailableReason(*row.info, capabilities_));
    const bool available = reason.isEmpty();
    row.check->setEnabled(available);
    row.abButton->setEnabled(available);
    row.reason->setText(available ? QString() : tr("Not available: %1").arg(reason));
    row.reason->setVisible(!available);
    row.reason->setProperty("reason", reason);
  }
}

OptimizationOverrides OptimizationPanel::overrides() const {
  OptimizationOverrides result;
  for (const auto& [id, row] : rows_) {
    if (row.check->isChecked() != row.info->defaultOn) result[id] = row.check->isChecked();
  }
  return result;
}

void OptimizationPanel::setOverrides(const OptimizationOverrides& overrides) {
  for (auto& [id, row] : rows_) {
    const auto it = overrides.find(id);
    row.check->setChecked(it != overrides.end() ? it->second : row.info->defaultOn);
  }
}

bool OptimizationPanel::toggleState(const QString& id) const {
  const Row* found = row(id);
  return found != nullptr && found->check->isChecked();
}

bool OptimizationPanel::isAvailable(const QString& id) const {
  const Row* found = row(id);
  return found != nullptr && found->check->isEnabled();
}

QString OptimizationPanel::unavailableText(const QString& id) const {
  const Row* found = row(id);
  return found != nullptr ? found->reason->property("reason").toString() : QString();
}

void OptimizationPanel::setMeasuredEffect(const QString& id, const QString& effect) {
  const Row* found = row(id);
  if (found == nullptr) return;  // a result for a toggle this build does not list
  found->effect->setText(effect.isEmpty() ? QString() : tr("Last measured: %1").arg(effect));
  found->effect->setProperty("effect", effect);
  found->effect->setVisible(!effect.isEmpty());
}

QString OptimizationPanel::measuredEffect(const QString& id) const {
  const Row* found = row(id);
  return found != nullptr ? found->effect->property("effect").toString() : QString();
}

int OptimizationPanel::abWarmup() const { return abWarmup_->value(); }

int OptimizationPanel::abRepeat() const { return abRepeat_->value(); }

void OptimizationPanel::setAbRuns(int warmup, int repeat) {
  abWarmup_->setValue(warmup);
  abRepeat_->setValue(repeat);
}

void OptimizationPanel::showAbProgress(const QString& id, int done, int total) {
  abStatus_->setText(tr("A/B %1: run %2 of %3").arg(id).arg(done).arg(total));
  abStatus_->setVisible(true);
  abProgress_->setRange(0, std::max(1, total));
  abProgress_->setValue(std::clamp(done, 0, std::max(1, total)));
  abProgress_->setVisible(true);
}

void OptimizationPanel::showAbEnded(const QString& id, const QString& outcome) {
  abStatus_->setText(tr("A/B %1: %2").arg(id, outcome));
  abStatus_->setVisible(true);
  abProgress_->setVisible(false);
}

QString OptimizationPanel::abStatusText() const { return abStatus_->isHidden() ? QString() : abStatus_->text(); }

void OptimizationPanel::applyPreset(Preset preset) {
  const OptimizationOverrides before = overrides();
  for (auto& [id, row] : rows_) {
    switch (preset) {
      case Preset::Defaults: row.check->setChecked(row.info->defaultOn); break;
      case Preset::AllOn:  // an unavailable toggle keeps its state: turning it on would do nothing
        if (row.check->isEnabled()) row.check->setChecked(true);
        break;
      case Preset::AllOff: row.check->setChecked(false); break;
    }
  }
  const OptimizationOverrides after = overrides();
  if (after != before) emit overridesChanged(after);
}

}  // namespace celerity::ui
