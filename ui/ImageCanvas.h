#pragma once
// The centre image: live previews while a job samples, then the finished picture, fitted
// and centred. A caption in the corner says what is shown. An overlay widget (the profiler
// strip) can be laid over its bottom edge.
#include <QImage>
#include <QPointer>
#include <QString>
#include <QWidget>

namespace celerity::ui {

class ImageCanvas : public QWidget {
  Q_OBJECT

 public:
  explicit ImageCanvas(QWidget* parent = nullptr);

  void setImage(const QImage& image, const QString& caption = {});
  const QImage& image() const { return image_; }
  const QString& caption() const { return caption_; }
  void clear(const QString& hint = {});

  // Takes `overlay` as a child laid over the bottom edge (its own height, full width).
  void setOverlay(QWidget* overlay);
  QWidget* overlay() const { return overlay_; }
  void setOverlayVisible(bool visible);
  bool isOverlayVisible() const { return overlayVisible_; }

  QRect imageRect() const;
  QSize sizeHint() const override { return {640, 640}; }
  QSize minimumSizeHint() const override { return {160, 160}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void placeOverlay();

  QImage image_;
  QString caption_;
  QString hint_;
  QPointer<QWidget> overlay_;
  bool overlayVisible_ = true;
};

}  // namespace celerity::ui
