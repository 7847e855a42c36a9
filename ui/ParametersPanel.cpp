#include "ParametersPanel.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QSignalBlocker>

#include "celerity/Catalog.h"

namespace celerity::ui {

namespace {

QSpinBox* spinBox(QWidget* parent, const QString& name, int low, int high) {
  auto* box = new QSpinBox(parent);
  box->setObjectName(name);
  box->setRange(low, high);
  return box;
}

QString qs(const std::string& s) { return QString::fromStdString(s); }

// Items showing the files' names, carrying (and hovering) their full paths.
void addPathItems(QComboBox* box, const QStringList& paths) {
  for (const QString& path : paths) {
    box->addItem(QFileInfo(path).fileName(), path);
    box->setItemData(box->count() - 1, path, Qt::ToolTipRole);
  }
}

// Selects the first item from `first` on whose path `nameOf` gives `name`; false when none.
bool selectByName(QComboBox* box, const QString& name, int first, QString (QFileInfo::*nameOf)() const) {
  for (int i = first; i < box->count(); ++i) {
    if ((QFileInfo(box->itemData(i).toString()).*nameOf)() == name) {
      box->setCurrentIndex(i);
      return true;
    }
  }
  return false;
}

}  // namespace

ParametersPanel::ParametersPanel(QWidget* parent)
    : QWidget(parent),
      checkpoint_(new QComboBox(this)),
      refresh_(new QToolButton(this)),
      vae_(new QComboBox(this)),
      sampler_(new QComboBox(this)),
      schedule_(new QComboBox(this)),
      steps_(spinBox(this, QStringLiteral("stepsBox"), 1, 150)),
      cfg_(new QDoubleSpinBox(this)),
      seed_(new SeedControls(this)),
      size_(new SizeControls(this)),
      batchCount_(spinBox(this, QStringLiteral("batchCountBox"), 1, 100)),
      batchSize_(spinBox(this, QStringLiteral("batchSizeBox"), 1, 8)),
      clipSkip_(spinBox(this, QStringLiteral("clipSkipBox"), 1, 12)),
      hires_(new HiresGroup(this)) {
  checkpoint_->setObjectName(QStringLiteral("checkpointBox"));
  checkpoint_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  checkpoint_->setMinimumContentsLength(16);
  refresh_->setText(QStringLiteral("⟳"));
  refresh_->setToolTip(tr("Look for checkpoints again"));
  vae_->setObjectName(QStringLiteral("vaeBox"));
  vae_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  vae_->setMinimumContentsLength(16);
  vae_->setToolTip(tr("A standalone VAE used instead of the checkpoint's own (A1111's \"SD VAE\")"));
  setVaeFiles({});
  sampler_->setObjectName(QStringLiteral("samplerBox"));
  for (const auto& entry : samplerCatalog()) sampler_->addItem(qs(entry.displayName()), qs(entry.displayName()));
  schedule_->setObjectName(QStringLiteral("scheduleBox"));
  for (const auto& entry : scheduleCatalog()) {
    schedule_->addItem(qs(entry.name), qs(entry.name));
    QStringList aliases;
    for (const auto& alias : entry.aliases) aliases << qs(alias);
    const QString tip = aliases.isEmpty() ? qs(entry.description)
                                          : tr("%1 (also: %2)").arg(qs(entry.description), aliases.join(", "));
    schedule_->setItemData(schedule_->count() - 1, tip, Qt::ToolTipRole);
  }
  cfg_->setObjectName(QStringLiteral("cfgBox"));
  cfg_->setRange(1.0, 30.0);
  cfg_->setSingleStep(0.5);
  cfg_->setDecimals(1);
  clipSkip_->setToolTip(tr("Stop the text encoder this many layers before its end (1 = the last layer)"));
  batchCount_->setToolTip(tr("Batches made one after the other"));
  batchSize_->setToolTip(tr("Images made together in one batch"));

  auto* checkpointRow = new QHBoxLayout;
  checkpointRow->addWidget(checkpoint_, 1);
  checkpointRow->addWidget(refresh_);
  auto* batchRow = new QHBoxLayout;
  batchRow->addWidget(batchCount_);
  batchRow->addWidget(batchSize_);

  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(tr("Checkpoint"), checkpointRow);
  form->addRow(tr("VAE"), vae_);
  form->addRow(tr("Sampler"), sampler_);
  form->addRow(tr("Schedule"), schedule_);
  form->addRow(tr("Steps"), steps_);
  form->addRow(tr("CFG scale"), cfg_);
  form->addRow(tr("Seed"), seed_);
  form->addRow(tr("Size"), size_);
  form->addRow(tr("Batch count × size"), batchRow);
  form->addRow(tr("Clip skip"), clipSkip_);
  form->addRow(hires_);

  connect(checkpoint_, &QComboBox::activated, this, [this]() { emit checkpointSelected(currentCheckpoint()); });
  connect(refresh_, &QToolButton::clicked, this, &ParametersPanel::refreshCheckpointsRequested);
  connect(steps_, &QSpinBox::valueChanged, this, &ParametersPanel::stepsChanged);
  setFrom(Request{});
}

void ParametersPanel::setCheckpoints(const QStringList& paths, const QString& preferred) {
  const QString current = currentCheckpoint();
  const QSignalBlocker blocker(checkpoint_);
  checkpoint_->clear();
  addPathItems(checkpoint_, paths);
  int index = checkpoint_->findData(current);
  if (index < 0) index = checkpoint_->findData(preferred);
  checkpoint_->setCurrentIndex(index >= 0 ? index : (paths.isEmpty() ? -1 : 0));
}

void ParametersPanel::setVaeFiles(const QStringList& paths) {
  const QString current = currentVae();
  const QSignalBlocker blocker(vae_);
  vae_->clear();
  vae_->addItem(tr("Automatic"), QString());
  vae_->setItemData(0, tr("The checkpoint's own VAE"), Qt::ToolTipRole);
  addPathItems(vae_, paths);
  const int index = vae_->findData(current);
  vae_->setCurrentIndex(index >= 0 ? index : 0);
}

QString ParametersPanel::currentVae() const { return vae_->currentData().toString(); }

bool ParametersPanel::selectVaeByName(const QString& fileName) {
  return selectByName(vae_, fileName, 1, &QFileInfo::fileName);
}

QString ParametersPanel::currentCheckpoint() const { return checkpoint_->currentData().toString(); }

void ParametersPanel::setCurrentCheckpoint(const QString& path) {
  const int index = checkpoint_->findData(path);
  if (index >= 0) checkpoint_->setCurrentIndex(index);
}

bool ParametersPanel::selectCheckpointByName(const QString& name) {
  return selectByName(checkpoint_, name, 0, &QFileInfo::completeBaseName);
}

void ParametersPanel::selectOrAdd(QComboBox* box, const QString& value, int foundIndex) {
  if (foundIndex < 0) {  // a name the catalogue lacks (say, from another program): kept as is
    box->addItem(value, value);
    foundIndex = box->count() - 1;
  }
  box->setCurrentIndex(foundIndex);
}

void ParametersPanel::applyTo(Request& request) const {
  request.checkpointPath = currentCheckpoint().toStdString();
  request.vaePath = currentVae().toStdString();
  request.sampler = sampler_->currentData().toString().toStdString();
  request.scheduler = schedule_->currentData().toString().toStdString();
  request.steps = steps_->value();
  request.cfgScale = cfg_->value();
  request.seed = seed_->seed();
  size_->applyTo(request);
  request.batchCount = batchCount_->value();
  request.batchSize = batchSize_->value();
  request.clipSkip = clipSkip_->value();
  hires_->applyTo(request);
}

void ParametersPanel::setFrom(const Request& request) {
  if (!request.checkpointPath.empty()) setCurrentCheckpoint(qs(request.checkpointPath));
  const int vae = vae_->findData(qs(request.vaePath));
  vae_->setCurrentIndex(vae >= 0 ? vae : 0);  // a VAE no longer listed: the checkpoint's own
  const auto* sampler = findSamplerEntry(request.sampler);
  const QString samplerName = sampler ? qs(sampler->displayName()) : qs(request.sampler);
  selectOrAdd(sampler_, samplerName, sampler_->findData(samplerName));
  const auto* schedule = findScheduleEntry(request.scheduler);
  const QString scheduleName = schedule ? qs(schedule->name) : qs(request.scheduler);
  selectOrAdd(schedule_, scheduleName, schedule_->findData(scheduleName));
  steps_->setValue(request.steps);
  cfg_->setValue(request.cfgScale);
  seed_->setSeed(request.seed);
  size_->setFrom(request);
  batchCount_->setValue(request.batchCount);
  batchSize_->setValue(request.batchSize);
  clipSkip_->setValue(request.clipSkip);
  hires_->setFrom(request);
}

}  // namespace celerity::ui
