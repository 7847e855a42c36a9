#include "MaskPainter.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>

namespace celerity::ui {

MaskPainter::MaskPainter(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("maskPainter"));
  setMinimumSize(128, 128);
  setCursor(Qt::CrossCursor);
  setToolTip(tr("Paint the area to repaint with the left button; erase with the right button"));
}

void MaskPainter::setImage(const QImage& image) {
  image_ = image.convertToFormat(QImage::Format_RGB32);
  mask_ = QImage(image_.size(), QImage::Format_Grayscale8);
  mask_.fill(0);
  rebuildOverlay();
  update();
}

void MaskPainter::setMask(const QImage& mask) {
  if (image_.isNull()) return;
  QImage scaled = mask.convertToFormat(QImage::Format_Grayscale8)
                      .scaled(image_.size(), Qt::IgnoreAspectRatio, Qt::FastTransformation);
  for (int y = 0; y < scaled.height(); ++y) {
    uchar* row = scaled.scanLine(y);
    for (int x = 0; x < scaled.width(); ++x) row[x] = row[x] >= 128 ? 255 : 0;
  }
  mask_ = scaled;
  rebuildOverlay();
  update();
  emit maskChanged();
}

bool MaskPainter::hasMask() const {
  for (int y = 0; y < mask_.height(); ++y) {
    const uchar* row = mask_.constScanLine(y);
    if (std::any_of(row, row + mask_.width(), [](uchar v) { return v != 0; })) return true;
  }
  return false;
}

void MaskPainter::paintStroke(QPoint from, QPoint to, bool erase) {
  if (mask_.isNull()) return;
  QPainter painter(&mask_);
  painter.setRenderHint(QPainter::Antialiasing, false);
  const QColor colour = erase ? Qt::black : Qt::white;
  painter.setPen(QPen(colour, brushRadius_ * 2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  if (from == to) {
    painter.setPen(Qt::NoPen);
    painter.setBrush(colour);
    painter.drawEllipse(from, brushRadius_, brushRadius_);
  } else {
    painter.drawLine(from, to);
  }
  painter.end();
  rebuildOverlay();
  update();
}

void MaskPainter::clearMask() {
  if (mask_.isNull()) return;
  mask_.fill(0);
  rebuildOverlay();
  update();
  emit maskChanged();
}

void MaskPainter::rebuildOverlay() {
  overlay_ = QImage(mask_.size(), QImage::Format_ARGB32_Premultiplied);
  overlay_.fill(Qt::transparent);
  for (int y = 0; y < mask_.height(); ++y) {
    const uchar* in = mask_.constScanLine(y);
    auto* out = reinterpret_cast<QRgb*>(overlay_.scanLine(y));
    for (int x = 0; x < mask_.width(); ++x) {
      if (in[x] != 0) out[x] = qPremultiply(qRgba(230, 40, 40, 128));
    }
  }
}

QRect MaskPainter::imageRect() const {
  if (image_.isNull()) return {};
  const QSize fitted = image_.size().scaled(size(), Qt::KeepAspectRatio);
  return {QPoint((width() - fitted.width()) / 2, (height() - fitted.height()) / 2), fitted};
}

QPoint MaskPainter::toImage(QPoint widgetPoint) const {
  const QRect r = imageRect();
  if (r.isEmpty()) return {};
  const double sx = static_cast<double>(image_.width()) / r.width();
  const double sy = static_cast<double>(image_.height()) / r.height();
  return {static_cast<int>((widgetPoint.x() - r.x()) * sx), static_cast<int>((widgetPoint.y() - r.y()) * sy)};
}

void MaskPainter::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().window());
  if (image_.isNull()) {
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("Load an init image to paint a mask"));
    return;
  }
  painter.setRenderHint(QPainter::SmoothPixmapTransform);
  painter.drawImage(imageRect(), image_);
  painter.drawImage(imageRect(), overlay_);
}

void MaskPainter::mousePressEvent(QMouseEvent* event) {
  if (mask_.isNull() || (event->button() != Qt::LeftButton && event->button() != Qt::RightButton)) return;
  painting_ = true;
  erasing_ = event->button() == Qt::RightButton;
  last_ = toImage(event->position().toPoint());
  paintStroke(last_, last_, erasing_);
}

void MaskPainter::mouseMoveEvent(QMouseEvent* event) {
  if (!painting_) return;
  const QPoint point = toImage(event->position().toPoint());
  paintStroke(last_, point, erasing_);
  last_ = point;
}

void MaskPainter::mouseReleaseEvent(QMouseEvent*) {
  if (!painting_) return;
  painting_ = false;
  emit maskChanged();
}

}  // namespace celerity::ui
