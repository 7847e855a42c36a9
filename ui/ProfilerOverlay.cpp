#include "ProfilerOverlay.h"

#include <QEvent>
#include <QFontMetrics>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "ProfileFormat.h"
#include "StageColors.h"

namespace celerity::ui {
namespace {

constexpr int kPadding = 4;
constexpr int kCaptionHeight = 14;
constexpr int kClockIntervalMs = 100;
constexpr double kMinimumLiveScaleMs = 500.0;

// The next 1, 2 or 5 × 10^k at or above `ms`: a live strip rescales rarely and by clear steps.
double niceCeil(double ms) {
  if (ms <= kMinimumLiveScaleMs) return kMinimumLiveScaleMs;
  const double decade = std::pow(10.0, std::floor(std::log10(ms)));
  for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (factor * decade >= ms) return factor * decade;
  }
  return 10.0 * decade;
}

double timeToX(double ms, double scaleMs, const QRectF& area) {
  const double fraction = scaleMs > 0.0 ? std::clamp(ms / scaleMs, 0.0, 1.0) : 0.0;
  return area.left() + fraction * area.width();
}

int topLevelAncestor(const std::vector<ProfileSpan>& spans, int index) {
  while (index >= 0 && spans[static_cast<std::size_t>(index)].parent >= 0) {
    index = spans[static_cast<std::size_t>(index)].parent;
  }
  return index;
}

}  // namespace

ProfilerOverlay::ProfilerOverlay(QWidget* imageView) : QWidget(imageView) {
  setObjectName(QStringLiteral("profilerOverlay"));
  setAttribute(Qt::WA_NoSystemBackground);
  setMouseTracking(true);
  clockTimer_.setInterval(kClockIntervalMs);
  connect(&clockTimer_, &QTimer::timeout, this, &ProfilerOverlay::advanceClock);
  if (imageView != nullptr) {
    imageView->installEventFilter(this);
    followParent();
    raise();
  }
}

std::vector<ProfilerOverlay::Bar> ProfilerOverlay::layoutBars(const std::vector<ProfileSpan>& spans,
                                                              double scaleMs, const QRectF& area) {
  std::vector<Bar> bars;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const ProfileSpan& span = spans[i];
    if (span.parent >= 0) continue;
    const double left = timeToX(span.startMs, scaleMs, area);
    const double right = std::max(timeToX(span.endMs, scaleMs, area), left + 1.0);
    Bar bar;
    bar.spanIndex = static_cast<int>(i);
    bar.rect = QRectF(left, area.top(), right - left, area.height());
    bar.color = StageColors::color(span.name);
    bars.push_back(bar);
  }
  return bars;
}

std::vector<double> ProfilerOverlay::layoutStepTicks(const std::vector<ProfileSpan>& spans,
                                                     double scaleMs, const QRectF& area) {
  std::vector<double> ticks;
  for (const ProfileSpan& span : spans) {
    if (span.step >= 0) ticks.push_back(timeToX(span.startMs, scaleMs, area));
  }
  return ticks;
}

double ProfilerOverlay::timeScaleMs() const {
  if (live_) return niceCeil(currentMs() * 1.1);
  double scale = wallMs_;
  for (const ProfileSpan& span : spans_) scale = std::max(scale, span.endMs);
  return scale > 0.0 ? scale : 1.0;
}

QRectF ProfilerOverlay::barArea() const {
  return QRectF(kPadding, kCaptionHeight, std::max(0, width() - 2 * kPadding),
                std::max(0, height() - kCaptionHeight - kPadding));
}

std::vector<ProfilerOverlay::Bar> ProfilerOverlay::bars() const {
  std::vector<Bar> result = layoutBars(spans_, timeScaleMs(), barArea());
  for (Bar& bar : result) bar.open = open_[static_cast<std::size_t>(bar.spanIndex)];
  return result;
}

QString ProfilerOverlay::hoverText(const QPoint& pos) const {
  if (spans_.empty()) return {};
  const double referenceMs = live_ ? currentMs() : timeScaleMs();
  for (const Bar& bar : bars()) {
    if (pos.x() < bar.rect.left() || pos.x() > bar.rect.right()) continue;
    const ProfileSpan& span = spans_[static_cast<std::size_t>(bar.spanIndex)];
    QString text = ProfileFormat::spanTooltip(span, referenceMs);
    if (bar.open) text += QLatin1Char('\n') + tr("still running");
    // The sampler step under the pointer, when the stage has per-step spans.
    const QRectF area = barArea();
    const double atMs = area.width() > 0 ? (pos.x() - area.left()) / area.width() * timeScaleMs() : 0.0;
    for (std::size_t i = 0; i < spans_.size(); ++i) {
      const ProfileSpan& step = spans_[i];
      if (step.step < 0 || atMs < step.startMs || atMs > step.endMs) continue;
      if (topLevelAncestor(spans_, static_cast<int>(i)) != bar.spanIndex) continue;
      text += QLatin1Char('\n') +
              tr("Step %1: %2").arg(step.step + 1).arg(ProfileFormat::duration(step.durationMs()));
      break;
    }
    return text;
  }
  return live_ ? tr("Running: %1").arg(ProfileFormat::duration(currentMs()))
               : tr("Total: %1").arg(ProfileFormat::duration(timeScaleMs()));
}

void ProfilerOverlay::setStripHeight(int pixels) {
  stripHeight_ = std::max(kCaptionHeight + kPadding + 6, pixels);
  followParent();
  updateGeometry();
  update();
}

void ProfilerOverlay::setShowStepTicks(bool show) {
  showStepTicks_ = show;
  update();
}

void ProfilerOverlay::setLiveClockEnabled(bool enabled) {
  liveClock_ = enabled;
  if (!enabled) clockTimer_.stop();
}

QSize ProfilerOverlay::sizeHint() const { return {480, stripHeight_}; }

void ProfilerOverlay::beginStage(const ProfileSpan& span) {
  if (!live_) {  // the first stage of a new job replaces the last job's strip
    spans_.clear();
    open_.clear();
    label_.clear();
    wallMs_ = 0.0;
    latestMs_ = 0.0;
    live_ = true;
  }
  ProfileSpan copy = span;
  copy.endMs = copy.startMs;
  spans_.push_back(copy);
  open_.push_back(true);
  noteTime(span.startMs);
  if (liveClock_ && !clockTimer_.isActive()) clockTimer_.start();
}

void ProfilerOverlay::endStage(const ProfileSpan& span) {
  const int index = innermostOpen(span.name);
  if (index < 0) return;  // its begin was cleared away (clear() during the job)
  ProfileSpan& stored = spans_[static_cast<std::size_t>(index)];
  const int parent = stored.parent;
  const int depth = stored.depth;
  stored = span;
  stored.parent = parent;  // our indices, in case the sink joined mid-job
  stored.depth = depth;
  open_[static_cast<std::size_t>(index)] = false;
  noteTime(span.endMs);
  if (std::none_of(open_.begin(), open_.end(), [](bool open) { return open; })) clockTimer_.stop();
}

void ProfilerOverlay::setElapsedMs(double elapsedMs) {
  if (live_) noteTime(elapsedMs);
}

void ProfilerOverlay::setProfile(const JobProfile& profile) {
  clockTimer_.stop();
  spans_ = profile.spans;
  open_.assign(spans_.size(), false);
  label_ = QString::fromStdString(profile.label);
  wallMs_ = profile.wallMs;
  latestMs_ = profile.wallMs;
  live_ = false;
  update();
}

void ProfilerOverlay::clear() {
  clockTimer_.stop();
  spans_.clear();
  open_.clear();
  label_.clear();
  wallMs_ = 0.0;
  latestMs_ = 0.0;
  live_ = false;
  update();
}

void ProfilerOverlay::noteTime(double ms) {
  if (ms >= latestMs_) {
    latestMs_ = ms;
    sinceLatest_.start();
  }
  advanceClock();
}

double ProfilerOverlay::currentMs() const {
  if (live_ && liveClock_ && sinceLatest_.isValid() && clockTimer_.isActive()) {
    return latestMs_ + static_cast<double>(sinceLatest_.elapsed());
  }
  return latestMs_;
}

void ProfilerOverlay::advanceClock() {
  const double now = currentMs();
  for (std::size_t i = 0; i < spans_.size(); ++i) {
    if (open_[i]) spans_[i].endMs = std::max(spans_[i].startMs, now);
  }
  update();
}

int ProfilerOverlay::innermostOpen(const std::string& name) const {
  for (int i = static_cast<int>(spans_.size()) - 1; i >= 0; --i) {
    if (open_[static_cast<std::size_t>(i)] && spans_[static_cast<std::size_t>(i)].name == name) return i;
  }
  return -1;
}

void ProfilerOverlay::followParent() {
  QWidget* view = parentWidget();
  if (view == nullptr) return;
  setGeometry(0, std::max(0, view->height() - stripHeight_), view->width(), stripHeight_);
}

bool ProfilerOverlay::eventFilter(QObject* watched, QEvent* event) {
  if (watched == parentWidget() && event->type() == QEvent::Resize) followParent();
  return QWidget::eventFilter(watched, event);
}

bool ProfilerOverlay::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QString text = hoverText(help->pos());
    if (text.isEmpty()) {
      QToolTip::hideText();
      event->ignore();
    } else {
      QToolTip::showText(help->globalPos(), text, this);
    }
    return true;
  }
  return QWidget::event(event);
}

void ProfilerOverlay::paintEvent(QPaintEvent* /*event*/) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing, false);
  painter.fillRect(rect(), QColor(16, 16, 16, 170));  // translucent: the image shows through

  QFont small = font();
  small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.8));
  painter.setFont(small);
  const QFontMetrics metrics(small);
  const QRect caption(kPadding, 0, width() - 2 * kPadding, kCaptionHeight);
  painter.setPen(QColor(235, 235, 235));
  const QString total = spans_.empty() ? tr("No profile yet")
                        : live_       ? tr("running · %1").arg(ProfileFormat::duration(currentMs()))
                                      : tr("total %1").arg(ProfileFormat::duration(timeScaleMs()));
  painter.drawText(caption, Qt::AlignRight | Qt::AlignVCenter, total);
  const int labelWidth = caption.width() - metrics.horizontalAdvance(total) - 2 * kPadding;
  painter.drawText(caption, Qt::AlignLeft | Qt::AlignVCenter,
                   metrics.elidedText(label_, Qt::ElideRight, std::max(0, labelWidth)));

  const std::vector<Bar> currentBars = bars();
  for (const Bar& bar : currentBars) {
    const QRect box = bar.rect.toAlignedRect().intersected(barArea().toAlignedRect());
    painter.fillRect(box, bar.color);
    if (bar.open) {  // a running stage: a bright leading edge
      painter.fillRect(QRect(box.right(), box.top(), 1, box.height()), QColor(255, 255, 255));
    }
    const ProfileSpan& span = spans_[static_cast<std::size_t>(bar.spanIndex)];
    const QString duration = ProfileFormat::duration(span.durationMs());
    const QString full = QString::fromStdString(span.name) + QLatin1Char(' ') + duration;
    const QRect textBox = box.adjusted(3, 0, -3, 0);
    QString text;
    if (metrics.horizontalAdvance(full) <= textBox.width()) {
      text = full;
    } else if (metrics.horizontalAdvance(duration) <= textBox.width()) {
      text = duration;
    }
    if (!text.isEmpty()) {
      painter.setPen(StageColors::textColorOn(bar.color));
      painter.drawText(textBox, Qt::AlignLeft | Qt::AlignVCenter, text);
    }
  }

  if (showStepTicks_) {  // short marks along the bars' bottom edge
    const QRectF area = barArea();
    const int tickHeight = std::max(3, static_cast<int>(area.height() / 4));
    painter.setPen(QColor(0, 0, 0, 140));
    for (const double x : layoutStepTicks(spans_, timeScaleMs(), area)) {
      const int px = static_cast<int>(std::lround(x));
      painter.drawLine(px, static_cast<int>(area.bottom()) - tickHeight, px, static_cast<int>(area.bottom()));
    }
  }
}

}  // namespace celerity::ui
