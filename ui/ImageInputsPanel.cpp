#include "ImageInputsPanel.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QPushButton>
#include <QVBoxLayout>

namespace celerity::ui {

namespace {

template <typename Enum>
void selectData(QComboBox* box, Enum value) {
  const int index = box->findData(static_cast<int>(value));
  if (index >= 0) box->setCurrentIndex(index);
}

template <typename Enum>
Enum currentEnum(const QComboBox* box) {
  return static_cast<Enum>(box->currentData().toInt());
}

}  // namespace

ImageInputsPanel::ImageInputsPanel(QWidget* parent)
    : QWidget(parent),
      img2img_(new QGroupBox(tr("Init image (img2img)"), this)),
      initLabel_(new QLabel(tr("No image"), this)),
      painter_(new MaskPainter(this)),
      denoising_(new QDoubleSpinBox(this)),
      resizeMode_(new QComboBox(this)),
      inpaint_(new QGroupBox(tr("Inpaint the painted mask"), this)),
      brush_(new QSpinBox(this)),
      maskBlur_(new QSpinBox(this)),
      maskedContent_(new QComboBox(this)),
      onlyMasked_(new QCheckBox(tr("Only the masked area, at full resolution"), this)),
      padding_(new QSpinBox(this)),
      invertMask_(new QCheckBox(tr("Invert the mask (repaint what is not painted)"), this)) {
  img2img_->setObjectName(QStringLiteral("img2imgGroup"));
  img2img_->setCheckable(true);
  img2img_->setChecked(false);
  inpaint_->setObjectName(QStringLiteral("inpaintGroup"));
  inpaint_->setCheckable(true);
  inpaint_->setChecked(false);

  auto* choose = new QPushButton(tr("Open image…"), this);
  auto* clear = new QPushButton(tr("Clear mask"), this);
  initLabel_->setWordWrap(true);
  denoising_->setRange(0.0, 1.0);
  denoising_->setSingleStep(0.05);
  resizeMode_->addItem(tr("Just resize"), static_cast<int>(ImageResizeMode::JustResize));
  resizeMode_->addItem(tr("Crop and resize"), static_cast<int>(ImageResizeMode::CropAndResize));
  resizeMode_->addItem(tr("Resize and fill"), static_cast<int>(ImageResizeMode::ResizeAndFill));
  resizeMode_->addItem(tr("Just resize (latent upscale)"), static_cast<int>(ImageResizeMode::LatentUpscale));
  brush_->setRange(1, 256);
  brush_->setValue(painter_->brushRadius());
  brush_->setSuffix(QStringLiteral(" px"));
  maskBlur_->setRange(0, 64);
  maskedContent_->addItem(tr("original"), static_cast<int>(MaskedContent::Original));
  maskedContent_->addItem(tr("fill"), static_cast<int>(MaskedContent::Fill));
  maskedContent_->addItem(tr("latent noise"), static_cast<int>(MaskedContent::LatentNoise));
  maskedContent_->addItem(tr("latent nothing"), static_cast<int>(MaskedContent::LatentNothing));
  padding_->setRange(0, 256);
  padding_->setSuffix(QStringLiteral(" px"));

  auto* imageRow = new QHBoxLayout;
  imageRow->addWidget(initLabel_, 1);
  imageRow->addWidget(choose);
  auto* img2imgForm = new QFormLayout(img2img_);
  img2imgForm->addRow(imageRow);
  img2imgForm->addRow(tr("Denoising strength"), denoising_);
  img2imgForm->addRow(tr("Resize mode"), resizeMode_);

  auto* brushRow = new QHBoxLayout;
  brushRow->addWidget(brush_, 1);
  brushRow->addWidget(clear);
  auto* inpaintForm = new QFormLayout(inpaint_);
  inpaintForm->addRow(tr("Brush radius"), brushRow);
  inpaintForm->addRow(tr("Mask blur"), maskBlur_);
  inpaintForm->addRow(tr("Masked content"), maskedContent_);
  inpaintForm->addRow(onlyMasked_);
  inpaintForm->addRow(tr("Padding"), padding_);
  inpaintForm->addRow(invertMask_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(img2img_);
  layout->addWidget(painter_, 1);
  layout->addWidget(inpaint_);

  connect(choose, &QPushButton::clicked, this, &ImageInputsPanel::chooseInitImageRequested);
  connect(clear, &QPushButton::clicked, painter_, &MaskPainter::clearMask);
  connect(brush_, &QSpinBox::valueChanged, painter_, &MaskPainter::setBrushRadius);
  connect(painter_, &MaskPainter::maskChanged, this, &ImageInputsPanel::writeMask);
  connect(onlyMasked_, &QCheckBox::toggled, padding_, &QSpinBox::setEnabled);
  setFrom(Request{});
}

bool ImageInputsPanel::loadInitImage(const QString& path) {
  QImageReader reader(path);
  reader.setAutoTransform(true);
  const QImage image = reader.read();
  if (image.isNull()) return false;
  initImagePath_ = path;
  initLabel_->setText(QStringLiteral("%1 (%2×%3)").arg(QFileInfo(path).fileName()).arg(image.width()).arg(image.height()));
  initLabel_->setToolTip(path);
  painter_->setImage(image);
  maskPath_.clear();
  img2img_->setChecked(true);
  return true;
}

void ImageInputsPanel::writeMask() {
  if (!painter_->hasMask() || !maskFolder_.isValid()) {
    maskPath_.clear();
    return;
  }
  const QString path = maskFolder_.filePath(QStringLiteral("mask-%1.png").arg(++maskFiles_));
  if (painter_->mask().save(path, "PNG")) maskPath_ = path;
}

void ImageInputsPanel::applyTo(Request& request) const {
  const bool useImage = img2img_->isChecked() && !initImagePath_.isEmpty();
  request.img2img.initImagePath = useImage ? initImagePath_.toStdString() : std::string();
  request.img2img.denoisingStrength = denoising_->value();
  request.img2img.resizeMode = currentEnum<ImageResizeMode>(resizeMode_);
  const bool useMask = useImage && inpaint_->isChecked() && !maskPath_.isEmpty();
  request.inpaint.maskPath = useMask ? maskPath_.toStdString() : std::string();
  request.inpaint.maskBlur = maskBlur_->value();
  request.inpaint.maskedContent = currentEnum<MaskedContent>(maskedContent_);
  request.inpaint.onlyMasked = onlyMasked_->isChecked();
  request.inpaint.onlyMaskedPadding = padding_->value();
  request.inpaint.invertMask = invertMask_->isChecked();
}

void ImageInputsPanel::setFrom(const Request& request) {
  denoising_->setValue(request.img2img.denoisingStrength);
  selectData(resizeMode_, request.img2img.resizeMode);
  maskBlur_->setValue(request.inpaint.maskBlur);
  selectData(maskedContent_, request.inpaint.maskedContent);
  onlyMasked_->setChecked(request.inpaint.onlyMasked);
  padding_->setValue(request.inpaint.onlyMaskedPadding);
  padding_->setEnabled(request.inpaint.onlyMasked);
  invertMask_->setChecked(request.inpaint.invertMask);
  const QString init = QString::fromStdString(request.img2img.initImagePath);
  if (init.isEmpty()) {
    img2img_->setChecked(false);
  } else if (init != initImagePath_) {
    loadInitImage(init);
  } else {
    img2img_->setChecked(true);
  }
  const QString mask = QString::fromStdString(request.inpaint.maskPath);
  if (!mask.isEmpty() && mask != maskPath_ && !painter_->image().isNull()) {
    painter_->setMask(QImage(mask));  // writes a copy of its own through maskChanged
  }
  inpaint_->setChecked(!mask.isEmpty() && !maskPath_.isEmpty());
}

}  // namespace celerity::ui
