#pragma once
// The init image with a paintable inpaint mask over it: the left button paints (white =
// repaint), the right button erases; the mask is kept at the image's own size and shown as a
// translucent red layer. Without an image it shows a hint to load one.
#include <QImage>
#include <QPoint>
#include <QWidget>
#include <algorithm>

namespace celerity::ui {

class MaskPainter : public QWidget {
  Q_OBJECT

 public:
  explicit MaskPainter(QWidget* parent = nullptr);

  // A new image clears the mask (sized to the image).
  void setImage(const QImage& image);
  const QImage& image() const { return image_; }
  // Replaces the mask (scaled to the image, grey levels above half become white).
  void setMask(const QImage& mask);
  // Grayscale8, the image's size: 255 repaint, 0 keep.
  const QImage& mask() const { return mask_; }
  bool hasMask() const;

  int brushRadius() const { return brushRadius_; }
  void setBrushRadius(int radius) { brushRadius_ = std::max(1, radius); }

  // One stroke segment in image pixels (what the mouse handlers call).
  void paintStroke(QPoint from, QPoint to, bool erase = false);
  void clearMask();

  // Widget ↔ image coordinates of the fitted, centred image.
  QRect imageRect() const;
  QPoint toImage(QPoint widgetPoint) const;

  QSize sizeHint() const override { return {256, 256}; }

 signals:
  // A stroke ended, or the mask was cleared or replaced.
  void maskChanged();

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

 private:
  QImage image_;
  QImage mask_;
  QImage overlay_;  // mask_ as translucent red, rebuilt after each change
  int brushRadius_ = 24;
  bool painting_ = false;
  bool erasing_ = false;
  QPoint last_;

  void rebuildOverlay();
};

}  // namespace celerity::ui
