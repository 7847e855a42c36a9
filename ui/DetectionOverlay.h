#pragma once
// The ADetailer mask preview: the regions the detailer tabs found on the shown image — box,
// "tab: label score" caption and the translucent inpainting mask, coloured per tab — drawn
// over the image canvas. It covers the whole canvas, lets the mouse through, and draws only
// while the canvas still shows the image the regions belong to (a preview or another
// picture hides it until the next result).
#include <QColor>
#include <QImage>
#include <QPointer>
#include <QRectF>
#include <QWidget>
#include <vector>

#include "celerity/GeneratedImage.h"

namespace celerity::ui {

class ImageCanvas;

class DetectionOverlay : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kMaskAlpha = 96;

  explicit DetectionOverlay(ImageCanvas* canvas);

  // The regions of the image the canvas shows now (`image` must be that image: its size
  // maps the regions onto the canvas).
  void setRegions(const GeneratedImage& image);
  void clear();
  const std::vector<DetailedRegion>& regions() const { return regions_; }
  // True when there is something to draw over the canvas's current image.
  bool hasRegionsForShownImage() const;

  bool isEnabledByUser() const { return enabled_; }

  // Pure helpers (tested directly).
  static QColor tabColor(int tab);
  // "1: face 0.87" (tab numbers from 1; "skipped" for a [SKIP] region).
  static QString caption(const DetailedRegion& region);
  // The masks of `regions` at the image's size: each mask pixel in its tab's colour at
  // kMaskAlpha, transparent elsewhere (a region without a mask adds nothing).
  static QImage maskLayer(const std::vector<DetailedRegion>& regions, int width, int height);
  // A region's box in canvas coordinates, for an image of `imageSize` drawn into `target`.
  static QRectF boxOnCanvas(const DetailedRegion& region, const QSize& imageSize, const QRect& target);

 public slots:
  // The user's "show detected regions" switch.
  void setEnabledByUser(bool enabled);

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void refreshVisibility();

  QPointer<ImageCanvas> canvas_;
  std::vector<DetailedRegion> regions_;
  QSize imageSize_;
  QImage masks_;
  qint64 imageKey_ = 0;  // QImage::cacheKey() of the canvas image the regions belong to
  bool enabled_ = true;
};

}  // namespace celerity::ui
