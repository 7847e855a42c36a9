#pragma once
// A job's nested stages as a Gantt chart: one row per nesting depth, a time axis on top,
// ticks at each sampler step, zoom with Ctrl+wheel (or zoomIn/zoomOut/zoomToFit). Meant to
// sit inside a QScrollArea with widgetResizable: zoom widens the widget beyond the viewport.
#include <QWidget>
#include <vector>

#include "celerity/Profiler.h"

namespace celerity::ui {

class GanttView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kAxisHeight = 20;
  static constexpr int kRowHeight = 22;
  static constexpr int kMargin = 6;

  explicit GanttView(QWidget* parent = nullptr);

  // Pure geometry (tested directly): a span's box for a chart `widthPx` wide whose drawable
  // width covers [0, scaleMs]; its row is its depth. At least 1 px wide.
  static QRectF spanRect(const ProfileSpan& span, double scaleMs, double widthPx);

  void setProfile(const JobProfile& profile);
  const JobProfile& profile() const { return profile_; }
  // The time the full (unzoomed) width stands for; by default the profile's wall time. A
  // comparison gives both charts the longer job's time so that their bars line up.
  void setTimeScaleMs(double scaleMs);  // ≤ 0: back to the profile's own
  double timeScaleMs() const;

  double zoom() const { return zoom_; }
  // The width zoom 1 fills (the scroll area's viewport); the owner keeps it current.
  void setFitWidth(int pixels);
  // The span at a point, −1 for none.
  int spanAt(const QPoint& pos) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 public slots:
  void setZoom(double zoom);  // clamped to [1, 64]
  void zoomIn();
  void zoomOut();
  void zoomToFit();

 signals:
  void zoomChanged(double zoom);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  bool event(QEvent* event) override;

 private:
  int rowCount() const;
  void updateWidth();

  JobProfile profile_;
  double scaleOverrideMs_ = 0.0;
  double zoom_ = 1.0;
  int fitWidth_ = 400;
};

}  // namespace celerity::ui
