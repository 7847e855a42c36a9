#include "DetectionOverlay.h"

#include <QEvent>
#include <QPainter>
#include <algorithm>
#include <array>

#include "ImageCanvas.h"

namespace celerity::ui {

DetectionOverlay::DetectionOverlay(ImageCanvas* canvas) : QWidget(canvas), canvas_(canvas) {
  setObjectName(QStringLiteral("detectionOverlay"));
  setAttribute(Qt::WA_TransparentForMouseEvents);
  setAttribute(Qt::WA_NoSystemBackground);
  if (canvas_ != nullptr) {
    setGeometry(canvas_->rect());
    canvas_->installEventFilter(this);
    lower();  // under the profiler strip
  }
  refreshVisibility();
}

QColor DetectionOverlay::tabColor(int tab) {
  static const std::array<QColor, 4> colors = {QColor(0x00, 0xe5, 0xff), QColor(0xff, 0x40, 0x81),
                                               QColor(0xff, 0xd6, 0x00), QColor(0x76, 0xff, 0x03)};
  return colors[static_cast<std::size_t>(std::max(0, tab)) % colors.size()];
}

QString DetectionOverlay::caption(const DetailedRegion& region) {
  const QString label = region.label.empty() ? tr("region") : QString::fromStdString(region.label);
  if (region.skipped) return tr("%1: %2 (skipped)").arg(region.tab + 1).arg(label);
  return tr("%1: %2 %3").arg(region.tab + 1).arg(label).arg(static_cast<double>(region.score), 0, 'f', 2);
}

QImage DetectionOverlay::maskLayer(const std::vector<DetailedRegion>& regions, int width, int height) {
  QImage layer(std::max(1, width), std::max(1, height), QImage::Format_ARGB32_Premultiplied);
  layer.fill(Qt::transparent);
  const auto pixels = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  for (const DetailedRegion& region : regions) {
    if (region.mask.size() != pixels || pixels == 0) continue;  // merged away, or another size
    QColor color = tabColor(region.tab);
    color.setAlpha(kMaskAlpha);
    const QRgb value = qPremultiply(color.rgba());
    for (int y = 0; y < height; ++y) {
      auto* line = reinterpret_cast<QRgb*>(layer.scanLine(y));
      const std::uint8_t* mask = region.mask.data() + static_cast<std::size_t>(y) * width;
      for (int x = 0; x < width; ++x) {
        if (mask[x] != 0) line[x] = value;
      }
    }
  }
  return layer;
}

QRectF DetectionOverlay::boxOnCanvas(const DetailedRegion& region, const QSize& imageSize, const QRect& target) {
  if (imageSize.isEmpty() || target.isEmpty()) return {};
  const double sx = static_cast<double>(target.width()) / imageSize.width();
  const double sy = static_cast<double>(target.height()) / imageSize.height();
  return QRectF(target.left() + region.x1 * sx, target.top() + region.y1 * sy, (region.x2 - region.x1) * sx,
                (region.y2 - region.y1) * sy);
}

void DetectionOverlay::setRegions(const GeneratedImage& image) {
  regions_ = image.detailedRegions;
  imageSize_ = QSize(image.width, image.height);
  masks_ = regions_.empty() ? QImage() : maskLayer(regions_, image.width, image.height);
  imageKey_ = canvas_ != nullptr ? canvas_->image().cacheKey() : 0;
  refreshVisibility();
  update();
}

void DetectionOverlay::clear() {
  regions_.clear();
  masks_ = QImage();
  imageSize_ = QSize();
  imageKey_ = 0;
  refreshVisibility();
}

bool DetectionOverlay::hasRegionsForShownImage() const {
  return !regions_.empty() && canvas_ != nullptr && !canvas_->image().isNull() &&
         canvas_->image().cacheKey() == imageKey_ && canvas_->image().size() == imageSize_;
}

void DetectionOverlay::setEnabledByUser(bool enabled) {
  enabled_ = enabled;
  refreshVisibility();
}

void DetectionOverlay::refreshVisibility() {
  setVisible(enabled_ && !regions_.empty());
  if (isVisible()) update();
}

bool DetectionOverlay::eventFilter(QObject* watched, QEvent* event) {
  if (watched == canvas_ && event->type() == QEvent::Resize) setGeometry(canvas_->rect());
  return QWidget::eventFilter(watched, event);
}

void DetectionOverlay::paintEvent(QPaintEvent*) {
  if (!hasRegionsForShownImage()) return;  // the canvas moved on to a preview or another image
  const QRect target = canvas_->imageRect();
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  if (!masks_.isNull()) painter.drawImage(target, masks_);
  const QFontMetrics metrics = painter.fontMetrics();
  for (const DetailedRegion& region : regions_) {
    const QColor color = tabColor(region.tab);
    const QRectF box = boxOnCanvas(region, imageSize_, target);
    painter.setPen(QPen(color, 2.0, region.skipped ? Qt::DashLine : Qt::SolidLine));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(box);
    const QString text = caption(region);
    QRectF label(box.left(), box.top() - metrics.height() - 2, metrics.horizontalAdvance(text) + 8, metrics.height() + 2);
    if (label.top() < 0) label.moveTop(box.top());  // no room above: inside the box
    painter.fillRect(label, color);
    painter.setPen(Qt::black);
    painter.drawText(label, Qt::AlignCenter, text);
  }
}

}  // namespace celerity::ui
