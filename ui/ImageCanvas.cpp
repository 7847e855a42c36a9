#include "ImageCanvas.h"

#include <QPainter>
#include <QResizeEvent>
#include <algorithm>

namespace celerity::ui {

ImageCanvas::ImageCanvas(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("imageCanvas"));
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setAutoFillBackground(false);
}

void ImageCanvas::setImage(const QImage& image, const QString& caption) {
  image_ = image;
  caption_ = caption;
  hint_.clear();
  update();
}

void ImageCanvas::clear(const QString& hint) {
  image_ = QImage();
  caption_.clear();
  hint_ = hint;
  update();
}

void ImageCanvas::setOverlay(QWidget* overlay) {
  if (overlay_ == overlay) return;
  if (overlay_) overlay_->hide();
  overlay_ = overlay;
  if (!overlay_) return;
  overlay_->setParent(this);
  placeOverlay();
  overlay_->setVisible(overlayVisible_);
  overlay_->raise();
}

void ImageCanvas::setOverlayVisible(bool visible) {
  overlayVisible_ = visible;
  if (overlay_) {
    overlay_->setVisible(visible);
    if (visible) overlay_->raise();
  }
}

QRect ImageCanvas::imageRect() const {
  if (image_.isNull()) return {};
  QSize fitted = image_.size();
  if (fitted.width() > width() || fitted.height() > height()) {
    fitted = fitted.scaled(size(), Qt::KeepAspectRatio);
  } else {
    // Small images (tiny previews, the demo model's 64 px output) are enlarged by whole
    // factors so that their pixels stay sharp.
    const int factor = std::max(1, std::min(width() / std::max(1, fitted.width()), height() / std::max(1, fitted.height())));
    fitted *= factor;
  }
  return {QPoint((width() - fitted.width()) / 2, (height() - fitted.height()) / 2), fitted};
}

void ImageCanvas::placeOverlay() {
  if (!overlay_) return;
  const int h = std::min(height(), std::max(overlay_->sizeHint().height(), overlay_->minimumHeight()));
  overlay_->setGeometry(0, height() - h, width(), h);
}

void ImageCanvas::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  placeOverlay();
}

void ImageCanvas::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), QColor(0x20, 0x20, 0x24));
  if (image_.isNull()) {
    painter.setPen(QColor(0xa0, 0xa0, 0xa8));
    painter.drawText(rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap, hint_);
    return;
  }
  const QRect target = imageRect();
  const bool enlarged = target.width() > image_.width();
  painter.setRenderHint(QPainter::SmoothPixmapTransform, !enlarged);
  painter.drawImage(target, image_);
  if (!caption_.isEmpty()) {
    const QRect box = painter.fontMetrics().boundingRect(caption_).adjusted(-6, -3, 6, 3);
    const QRect placed = box.translated(8 - box.left(), 8 - box.top());
    painter.fillRect(placed, QColor(0, 0, 0, 150));
    painter.setPen(Qt::white);
    painter.drawText(placed, Qt::AlignCenter, caption_);
  }
}

}  // namespace celerity::ui
