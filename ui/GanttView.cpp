#include "GanttView.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "ProfileFormat.h"
#include "StageColors.h"

namespace celerity::ui {
namespace {

constexpr double kMinZoom = 1.0;
constexpr double kMaxZoom = 64.0;
constexpr double kZoomStep = 1.25;

// A round axis step (1, 2, 5 × 10^k ms) that leaves at least `minPixels` between labels.
double axisStepMs(double scaleMs, double widthPx, double minPixels) {
  if (scaleMs <= 0.0 || widthPx <= 0.0) return 0.0;
  const double rawMs = scaleMs * minPixels / widthPx;
  const double decade = std::pow(10.0, std::floor(std::log10(std::max(rawMs, 1e-6))));
  for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (factor * decade >= rawMs) return factor * decade;
  }
  return 10.0 * decade;
}

}  // namespace

GanttView::GanttView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("ganttView"));
  setMouseTracking(true);
  setBackgroundRole(QPalette::Base);
  setAutoFillBackground(true);
  updateWidth();
}

QRectF GanttView::spanRect(const ProfileSpan& span, double scaleMs, double widthPx) {
  const double drawable = std::max(0.0, widthPx - 2.0 * kMargin);
  const auto toX = [&](double ms) {
    const double fraction = scaleMs > 0.0 ? std::clamp(ms / scaleMs, 0.0, 1.0) : 0.0;
    return kMargin + fraction * drawable;
  };
  const double left = toX(span.startMs);
  const double right = std::max(toX(span.endMs), left + 1.0);
  const double top = kAxisHeight + static_cast<double>(span.depth) * kRowHeight;
  return {left, top + 1.0, right - left, kRowHeight - 2.0};
}

void GanttView::setProfile(const JobProfile& profile) {
  profile_ = profile;
  updateGeometry();
  update();
}

void GanttView::setTimeScaleMs(double scaleMs) {
  scaleOverrideMs_ = std::max(0.0, scaleMs);
  update();
}

double GanttView::timeScaleMs() const {
  if (scaleOverrideMs_ > 0.0) return scaleOverrideMs_;
  double scale = profile_.wallMs;
  for (const ProfileSpan& span : profile_.spans) scale = std::max(scale, span.endMs);
  return scale > 0.0 ? scale : 1.0;
}

void GanttView::setFitWidth(int pixels) {
  fitWidth_ = std::max(1, pixels);
  updateWidth();
}

int GanttView::spanAt(const QPoint& pos) const {
  // Deepest first: a step is found before the stage that contains it.
  int found = -1;
  int foundDepth = -1;
  for (std::size_t i = 0; i < profile_.spans.size(); ++i) {
    const ProfileSpan& span = profile_.spans[i];
    if (span.depth > foundDepth && spanRect(span, timeScaleMs(), width()).contains(pos)) {
      found = static_cast<int>(i);
      foundDepth = span.depth;
    }
  }
  return found;
}

int GanttView::rowCount() const {
  int depth = -1;
  for (const ProfileSpan& span : profile_.spans) depth = std::max(depth, span.depth);
  return std::max(1, depth + 1);
}

QSize GanttView::sizeHint() const {
  return {static_cast<int>(std::lround(fitWidth_ * zoom_)), kAxisHeight + rowCount() * kRowHeight + kMargin};
}

QSize GanttView::minimumSizeHint() const { return sizeHint(); }

void GanttView::setZoom(double zoom) {
  const double clamped = std::clamp(zoom, kMinZoom, kMaxZoom);
  if (clamped == zoom_) return;
  zoom_ = clamped;
  updateWidth();
  emit zoomChanged(zoom_);
}

void GanttView::zoomIn() { setZoom(zoom_ * kZoomStep); }
void GanttView::zoomOut() { setZoom(zoom_ / kZoomStep); }
void GanttView::zoomToFit() { setZoom(kMinZoom); }

void GanttView::updateWidth() {
  setMinimumWidth(static_cast<int>(std::lround(fitWidth_ * zoom_)));
  updateGeometry();
  update();
}

void GanttView::wheelEvent(QWheelEvent* event) {
  if (!(event->modifiers() & Qt::ControlModifier)) {
    event->ignore();  // plain wheel scrolls the surrounding area
    return;
  }
  const int delta = event->angleDelta().y();
  if (delta > 0) zoomIn();
  if (delta < 0) zoomOut();
  event->accept();
}

bool GanttView::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const int index = spanAt(help->pos());
    if (index < 0) {
      QToolTip::hideText();
      event->ignore();
    } else {
      QToolTip::showText(help->globalPos(),
                         ProfileFormat::spanTooltip(profile_.spans[static_cast<std::size_t>(index)],
                                                    profile_.wallMs),
                         this);
    }
    return true;
  }
  return QWidget::event(event);
}

void GanttView::paintEvent(QPaintEvent* /*event*/) {
  QPainter painter(this);
  const double scale = timeScaleMs();
  const double drawable = std::max(0.0, width() - 2.0 * kMargin);
  const QColor axisColor = palette().color(QPalette::Text);

  // Time axis: round steps with labels.
  QFont small = font();
  small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.85));
  painter.setFont(small);
  const double stepMs = axisStepMs(scale, drawable, 80.0);
  painter.setPen(axisColor);
  painter.drawLine(kMargin, kAxisHeight - 1, kMargin + static_cast<int>(drawable), kAxisHeight - 1);
  if (stepMs > 0.0) {
    for (double ms = 0.0; ms <= scale + 1e-9; ms += stepMs) {
      const int x = kMargin + static_cast<int>(std::lround(ms / scale * drawable));
      painter.drawLine(x, kAxisHeight - 5, x, kAxisHeight - 1);
      painter.drawText(QRect(x + 2, 0, 120, kAxisHeight - 4), Qt::AlignLeft | Qt::AlignBottom,
                       ProfileFormat::duration(ms));
    }
  }

  const QFontMetrics metrics(small);
  for (const ProfileSpan& span : profile_.spans) {
    const QRect box = spanRect(span, scale, width()).toAlignedRect();
    const QColor color = StageColors::colorAtDepth(span.name, span.depth);
    painter.fillRect(box, color);
    if (span.step >= 0) {  // a step: mark where it starts, so that steps read as ticks
      painter.fillRect(QRect(box.left(), box.top(), 1, box.height()), color.darker(170));
    }
    const QString name = QString::fromStdString(span.name);
    const QString label = span.step >= 0 ? QString::number(span.step + 1)
                                         : name + QLatin1Char(' ') + ProfileFormat::duration(span.durationMs());
    const QRect textBox = box.adjusted(3, 0, -2, 0);
    QString text;
    if (metrics.horizontalAdvance(label) <= textBox.width()) {
      text = label;
    } else if (span.step < 0 && metrics.horizontalAdvance(name) <= textBox.width()) {
      text = name;
    }
    if (!text.isEmpty()) {
      painter.setPen(StageColors::textColorOn(color));
      painter.drawText(textBox, Qt::AlignLeft | Qt::AlignVCenter, text);
    }
  }
}

}  // namespace celerity::ui
