#include "DetailerTabEditor.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include "celerity/Catalog.h"

namespace celerity::ui {
namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QSpinBox* intBox(QWidget* parent, const QString& name, int low, int high, int step = 1) {
  auto* box = new QSpinBox(parent);
  box->setObjectName(name);
  box->setRange(low, high);
  box->setSingleStep(step);
  return box;
}

QDoubleSpinBox* realBox(QWidget* parent, const QString& name, double low, double high, double step, int decimals) {
  auto* box = new QDoubleSpinBox(parent);
  box->setObjectName(name);
  box->setRange(low, high);
  box->setSingleStep(step);
  box->setDecimals(decimals);
  return box;
}

QComboBox* comboBox(QWidget* parent, const QString& name) {
  auto* box = new QComboBox(parent);
  box->setObjectName(name);
  // Long names (samplers, checkpoints) must not widen the narrow left column.
  box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  box->setMinimumContentsLength(10);
  return box;
}

QPlainTextEdit* promptEdit(QWidget* parent, const QString& name, const QString& placeholder) {
  auto* edit = new QPlainTextEdit(parent);
  edit->setObjectName(name);
  edit->setPlaceholderText(placeholder);
  edit->setTabChangesFocus(true);
  edit->setFixedHeight(edit->fontMetrics().lineSpacing() * 3 + 12);
  return edit;
}

// Selects the item whose data is `value`, adding it when the list lacks it (a name from
// another version or program is kept, not silently replaced).
void selectData(QComboBox* box, const QVariant& value, const QString& labelIfMissing) {
  int index = box->findData(value);
  if (index < 0) {
    box->addItem(labelIfMissing, value);
    index = box->count() - 1;
  }
  box->setCurrentIndex(index);
}

int enumOf(const QComboBox* box) { return box->currentData().toInt(); }

}  // namespace

QString DetailerTabEditor::modelLabel(const QString& fileName) {
  if (fileName == QLatin1String(kBuiltinFaceDetector)) return tr("%1 (built-in face detector)").arg(fileName);
  return fileName;
}

DetailerTabEditor::DetailerTabEditor(QWidget* parent)
    : QWidget(parent),
      enabled_(new QCheckBox(tr("Enable this tab"), this)),
      model_(comboBox(this, QStringLiteral("model"))),
      prompt_(promptEdit(this, QStringLiteral("prompt"), tr("Empty: the main prompt"))),
      negativePrompt_(promptEdit(this, QStringLiteral("negativePrompt"), tr("Empty: the main negative prompt"))),
      confidence_(realBox(this, QStringLiteral("confidence"), 0.0, 1.0, 0.01, 2)),
      maskMinRatio_(realBox(this, QStringLiteral("maskMinRatio"), 0.0, 1.0, 0.001, 3)),
      maskMaxRatio_(realBox(this, QStringLiteral("maskMaxRatio"), 0.0, 1.0, 0.001, 3)),
      topK_(intBox(this, QStringLiteral("topK"), 0, 100)),
      topKBy_(comboBox(this, QStringLiteral("topKBy"))),
      sortOrder_(comboBox(this, QStringLiteral("sortOrder"))),
      xOffset_(intBox(this, QStringLiteral("xOffset"), -200, 200)),
      yOffset_(intBox(this, QStringLiteral("yOffset"), -200, 200)),
      dilateErode_(intBox(this, QStringLiteral("dilateErode"), -128, 128, 4)),
      mergeMode_(comboBox(this, QStringLiteral("mergeMode"))),
      maskBlur_(intBox(this, QStringLiteral("maskBlur"), 0, 64)),
      denoising_(realBox(this, QStringLiteral("denoisingStrength"), 0.0, 1.0, 0.01, 2)),
      onlyMasked_(new QCheckBox(tr("Inpaint only masked"), this)),
      padding_(intBox(this, QStringLiteral("padding"), 0, 256, 4)),
      inpaintSize_(comboBox(this, QStringLiteral("inpaintSize"))),
      inpaintWidth_(intBox(this, QStringLiteral("inpaintWidth"), 64, 2048, 8)),
      inpaintHeight_(intBox(this, QStringLiteral("inpaintHeight"), 64, 2048, 8)),
      steps_(intBox(this, QStringLiteral("steps"), 1, 150)),
      cfg_(realBox(this, QStringLiteral("cfgScale"), 1.0, 30.0, 0.5, 2)),
      sampler_(comboBox(this, QStringLiteral("sampler"))),
      scheduler_(comboBox(this, QStringLiteral("scheduler"))),
      checkpoint_(comboBox(this, QStringLiteral("checkpoint"))),
      vae_(comboBox(this, QStringLiteral("vae"))),
      clipSkip_(intBox(this, QStringLiteral("clipSkip"), 1, 12)),
      noise_(realBox(this, QStringLiteral("noiseMultiplier"), 0.5, 1.5, 0.01, 2)) {
  setObjectName(QStringLiteral("detailerTab"));
  enabled_->setObjectName(QStringLiteral("enabled"));
  onlyMasked_->setObjectName(QStringLiteral("onlyMasked"));
  model_->setToolTip(tr("The detector: files in the ADetailer model folders, or the built-in face detector"));
  topK_->setSpecialValueText(tr("all"));
  topK_->setToolTip(tr("Keep only the k best regions (0 keeps all)"));
  topKBy_->addItem(tr("Area"), static_cast<int>(DetailerTopKBy::Area));
  topKBy_->addItem(tr("Confidence"), static_cast<int>(DetailerTopKBy::Confidence));
  sortOrder_->addItem(tr("None"), static_cast<int>(DetailerSortOrder::None));
  sortOrder_->addItem(tr("Position (left to right)"), static_cast<int>(DetailerSortOrder::LeftToRight));
  sortOrder_->addItem(tr("Position (center to edge)"), static_cast<int>(DetailerSortOrder::CenterToEdge));
  sortOrder_->addItem(tr("Area (large to small)"), static_cast<int>(DetailerSortOrder::AreaDescending));
  mergeMode_->addItem(tr("None"), static_cast<int>(DetailerMaskMerge::None));
  mergeMode_->addItem(tr("Merge"), static_cast<int>(DetailerMaskMerge::Merge));
  mergeMode_->addItem(tr("Merge and invert"), static_cast<int>(DetailerMaskMerge::MergeInvert));
  inpaintSize_->addItem(tr("Image size"), static_cast<int>(DetailerInpaintSize::ImageSize));
  inpaintSize_->addItem(tr("Separate width/height"), static_cast<int>(DetailerInpaintSize::Custom));
  inpaintSize_->addItem(tr("Match the box"), static_cast<int>(DetailerInpaintSize::MatchBox));
  xOffset_->setToolTip(tr("Moves each mask this many pixels to the right"));
  yOffset_->setToolTip(tr("Moves each mask this many pixels up"));
  dilateErode_->setToolTip(tr("Grows (positive) or shrinks (negative) each mask by this many pixels"));
  for (const auto& entry : samplerCatalog()) sampler_->addItem(qs(entry.displayName()), qs(entry.displayName()));
  for (const auto& entry : scheduleCatalog()) scheduler_->addItem(qs(entry.name), qs(entry.name));
  model_->addItem(modelLabel(QLatin1String(kBuiltinFaceDetector)), QLatin1String(kBuiltinFaceDetector));

  auto* hint = new QLabel(tr("[SEP] gives each region its own prompt, in order (the last repeats); "
                             "[PROMPT] inserts the main prompt; a part that is only [SKIP] leaves that "
                             "region as it is."),
                          this);
  hint->setObjectName(QStringLiteral("promptHint"));
  hint->setWordWrap(true);
  hint->setEnabled(false);  // secondary text

  auto* detection = new QGroupBox(tr("Detection"), this);
  auto* detectionForm = new QFormLayout(detection);
  detectionForm->addRow(tr("Confidence threshold"), confidence_);
  detectionForm->addRow(tr("Mask min area ratio"), maskMinRatio_);
  detectionForm->addRow(tr("Mask max area ratio"), maskMaxRatio_);
  auto* topKRow = new QHBoxLayout;
  topKRow->addWidget(topK_);
  topKRow->addWidget(new QLabel(tr("by"), detection));
  topKRow->addWidget(topKBy_, 1);
  detectionForm->addRow(tr("Only the top k"), topKRow);
  detectionForm->addRow(tr("Sort order"), sortOrder_);

  auto* mask = new QGroupBox(tr("Mask preprocessing"), this);
  auto* maskForm = new QFormLayout(mask);
  auto* offsetRow = new QHBoxLayout;
  offsetRow->addWidget(new QLabel(tr("x"), mask));
  offsetRow->addWidget(xOffset_, 1);
  offsetRow->addWidget(new QLabel(tr("y"), mask));
  offsetRow->addWidget(yOffset_, 1);
  maskForm->addRow(tr("Offset"), offsetRow);
  maskForm->addRow(tr("Dilate (+) / erode (−)"), dilateErode_);
  maskForm->addRow(tr("Merge mode"), mergeMode_);

  auto* inpaint = new QGroupBox(tr("Inpainting"), this);
  auto* inpaintForm = new QFormLayout(inpaint);
  inpaintForm->addRow(tr("Mask blur"), maskBlur_);
  inpaintForm->addRow(tr("Denoising strength"), denoising_);
  auto* maskedRow = new QHBoxLayout;
  maskedRow->addWidget(onlyMasked_);
  maskedRow->addWidget(new QLabel(tr("padding"), inpaint));
  maskedRow->addWidget(padding_, 1);
  inpaintForm->addRow(maskedRow);
  inpaintForm->addRow(tr("Inpaint size"), inpaintSize_);
  auto* sizeRow = new QHBoxLayout;
  sizeRow->addWidget(inpaintWidth_, 1);
  sizeRow->addWidget(new QLabel(QStringLiteral("×"), inpaint));
  sizeRow->addWidget(inpaintHeight_, 1);
  inpaintForm->addRow(tr("Width × height"), sizeRow);

  auto* overrides = new QGroupBox(tr("Own settings (unchecked: the main ones)"), this);
  auto* grid = new QGridLayout(overrides);
  const std::vector<std::pair<QCheckBox**, std::pair<QString, QWidget*>>> rows = {
      {&useSteps_, {tr("Steps"), steps_}},          {&useCfg_, {tr("CFG scale"), cfg_}},
      {&useSampler_, {tr("Sampler"), sampler_}},    {&useScheduler_, {tr("Schedule"), scheduler_}},
      {&useCheckpoint_, {tr("Checkpoint"), checkpoint_}}, {&useVae_, {tr("VAE"), vae_}},
      {&useClipSkip_, {tr("Clip skip"), clipSkip_}},
      {&useNoise_, {tr("Noise multiplier"), noise_}},
  };
  int row = 0;
  for (const auto& [box, labelled] : rows) {
    *box = overrideBox(labelled.first, labelled.second);
    (*box)->setObjectName(QStringLiteral("use_") + labelled.second->objectName());
    grid->addWidget(*box, row, 0);
    grid->addWidget(labelled.second, row, 1);
    ++row;
  }
  grid->setColumnStretch(1, 1);

  auto* form = new QFormLayout;
  form->addRow(enabled_);
  form->addRow(tr("Model"), model_);
  form->addRow(tr("Prompt"), prompt_);
  form->addRow(tr("Negative prompt"), negativePrompt_);
  form->addRow(hint);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(detection);
  layout->addWidget(mask);
  layout->addWidget(inpaint);
  layout->addWidget(overrides);
  layout->addStretch(1);

  connect(enabled_, &QCheckBox::toggled, this, [this](bool on) {
    updateEnabledParts();
    emit enabledChanged(on);
  });
  connect(onlyMasked_, &QCheckBox::toggled, this, &DetailerTabEditor::updateEnabledParts);
  connect(inpaintSize_, &QComboBox::currentIndexChanged, this, &DetailerTabEditor::updateEnabledParts);
  setTab(DetailerTab{});
}

QCheckBox* DetailerTabEditor::overrideBox(const QString& name, QWidget* value) {
  auto* box = new QCheckBox(name, this);
  value->setEnabled(false);
  connect(box, &QCheckBox::toggled, value, &QWidget::setEnabled);
  return box;
}

void DetailerTabEditor::updateEnabledParts() {
  padding_->setEnabled(onlyMasked_->isChecked());
  const bool custom = inpaintSize_->currentData().toInt() == static_cast<int>(DetailerInpaintSize::Custom);
  inpaintWidth_->setEnabled(custom);
  inpaintHeight_->setEnabled(custom);
}

bool DetailerTabEditor::isTabEnabled() const { return enabled_->isChecked(); }

void DetailerTabEditor::setDetectorModels(const QStringList& fileNames) {
  const QString current = model_->currentData().toString();
  models_ = fileNames;
  const QSignalBlocker blocker(model_);
  model_->clear();
  model_->addItem(modelLabel(QLatin1String(kBuiltinFaceDetector)), QLatin1String(kBuiltinFaceDetector));
  for (const QString& name : fileNames) {
    if (name != QLatin1String(kBuiltinFaceDetector)) model_->addItem(modelLabel(name), name);
  }
  if (!current.isEmpty()) selectModel(current);
}

void DetailerTabEditor::selectModel(const QString& fileName) {
  selectData(model_, fileName, tr("%1 (not found)").arg(fileName));
}

void DetailerTabEditor::setCheckpoints(const QStringList& paths) {
  const QString current = checkpoint_->currentData().toString();
  const QSignalBlocker blocker(checkpoint_);
  checkpoint_->clear();
  for (const QString& path : paths) {
    checkpoint_->addItem(QFileInfo(path).fileName(), path);
    checkpoint_->setItemData(checkpoint_->count() - 1, path, Qt::ToolTipRole);
  }
  if (!current.isEmpty()) selectData(checkpoint_, current, QFileInfo(current).fileName());
}

void DetailerTabEditor::setVaeFiles(const QStringList& paths) {
  const QString current = vae_->currentData().toString();
  const QSignalBlocker blocker(vae_);
  vae_->clear();
  vae_->addItem(tr("None (the checkpoint's own)"), QString());
  for (const QString& path : paths) {
    vae_->addItem(QFileInfo(path).fileName(), path);
    vae_->setItemData(vae_->count() - 1, path, Qt::ToolTipRole);
  }
  if (!current.isEmpty()) selectData(vae_, current, QFileInfo(current).fileName());
}

DetailerTab DetailerTabEditor::tab() const {
  DetailerTab t;
  t.enabled = enabled_->isChecked();
  t.model = model_->currentData().toString().toStdString();
  t.prompt = prompt_->toPlainText().toStdString();
  t.negativePrompt = negativePrompt_->toPlainText().toStdString();
  t.confidence = confidence_->value();
  t.maskMinRatio = maskMinRatio_->value();
  t.maskMaxRatio = maskMaxRatio_->value();
  t.maskTopK = topK_->value();
  t.topKBy = static_cast<DetailerTopKBy>(enumOf(topKBy_));
  t.sortOrder = static_cast<DetailerSortOrder>(enumOf(sortOrder_));
  t.xOffset = xOffset_->value();
  t.yOffset = yOffset_->value();
  t.dilateErode = dilateErode_->value();
  t.mergeMode = static_cast<DetailerMaskMerge>(enumOf(mergeMode_));
  t.maskBlur = maskBlur_->value();
  t.denoisingStrength = denoising_->value();
  t.inpaintOnlyMasked = onlyMasked_->isChecked();
  t.inpaintPadding = padding_->value();
  t.inpaintSize = static_cast<DetailerInpaintSize>(enumOf(inpaintSize_));
  t.inpaintWidth = inpaintWidth_->value();
  t.inpaintHeight = inpaintHeight_->value();
  if (useSteps_->isChecked()) t.steps = steps_->value();
  if (useCfg_->isChecked()) t.cfgScale = cfg_->value();
  if (useSampler_->isChecked()) t.sampler = sampler_->currentData().toString().toStdString();
  if (useScheduler_->isChecked()) t.scheduler = scheduler_->currentData().toString().toStdString();
  if (useCheckpoint_->isChecked() && checkpoint_->currentIndex() >= 0) {
    t.checkpointPath = checkpoint_->currentData().toString().toStdString();
  }
  if (useVae_->isChecked() && vae_->currentIndex() >= 0) t.vaePath = vae_->currentData().toString().toStdString();
  if (useClipSkip_->isChecked()) t.clipSkip = clipSkip_->value();
  if (useNoise_->isChecked()) t.noiseMultiplier = noise_->value();
  return t;
}

void DetailerTabEditor::setTab(const DetailerTab& t) {
  enabled_->setChecked(t.enabled);
  selectModel(qs(t.model));
  prompt_->setPlainText(qs(t.prompt));
  negativePrompt_->setPlainText(qs(t.negativePrompt));
  confidence_->setValue(t.confidence);
  maskMinRatio_->setValue(t.maskMinRatio);
  maskMaxRatio_->setValue(t.maskMaxRatio);
  topK_->setValue(t.maskTopK);
  selectData(topKBy_, static_cast<int>(t.topKBy), tr("Area"));
  selectData(sortOrder_, static_cast<int>(t.sortOrder), tr("None"));
  xOffset_->setValue(t.xOffset);
  yOffset_->setValue(t.yOffset);
  dilateErode_->setValue(t.dilateErode);
  selectData(mergeMode_, static_cast<int>(t.mergeMode), tr("None"));
  maskBlur_->setValue(t.maskBlur);
  denoising_->setValue(t.denoisingStrength);
  onlyMasked_->setChecked(t.inpaintOnlyMasked);
  padding_->setValue(t.inpaintPadding);
  selectData(inpaintSize_, static_cast<int>(t.inpaintSize), tr("Image size"));
  inpaintWidth_->setValue(t.inpaintWidth);
  inpaintHeight_->setValue(t.inpaintHeight);

  // Unset overrides show the defaults a user would start from.
  useSteps_->setChecked(t.steps.has_value());
  steps_->setValue(t.steps.value_or(20));
  useCfg_->setChecked(t.cfgScale.has_value());
  cfg_->setValue(t.cfgScale.value_or(7.0));
  useSampler_->setChecked(t.sampler.has_value());
  if (t.sampler) {
    const auto* entry = findSamplerEntry(*t.sampler);
    const QString name = entry ? qs(entry->displayName()) : qs(*t.sampler);
    selectData(sampler_, name, name);
  }
  useScheduler_->setChecked(t.scheduler.has_value());
  if (t.scheduler) {
    const auto* entry = findScheduleEntry(*t.scheduler);
    const QString name = entry ? qs(entry->name) : qs(*t.scheduler);
    selectData(scheduler_, name, name);
  }
  useCheckpoint_->setChecked(t.checkpointPath.has_value());
  if (t.checkpointPath) {
    const QString path = qs(*t.checkpointPath);
    selectData(checkpoint_, path, QFileInfo(path).fileName());
  }
  useVae_->setChecked(t.vaePath.has_value());
  if (t.vaePath) {
    const QString path = qs(*t.vaePath);
    if (path.isEmpty()) {
      vae_->setCurrentIndex(0);
    } else {
      selectData(vae_, path, QFileInfo(path).fileName());
    }
  }
  useClipSkip_->setChecked(t.clipSkip.has_value());
  clipSkip_->setValue(t.clipSkip.value_or(1));
  useNoise_->setChecked(t.noiseMultiplier.has_value());
  noise_->setValue(t.noiseMultiplier.value_or(1.0));
  updateEnabledParts();
}

}  // namespace celerity::ui
