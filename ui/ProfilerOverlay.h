#pragma once
// A translucent timeline strip drawn over the image: one coloured bar per top-level stage,
// proportional to its time and labelled with its duration, with ticks at the sampler steps.
// It grows live while a job runs (beginStage/endStage, fed from JobEventSink::onStage) and
// shows a finished job's profile (setProfile). Hovering a bar shows name, duration, share
// and memory. Created with the image view as parent, it keeps itself along that view's
// bottom edge; without a parent it is an ordinary strip widget.
#include <QElapsedTimer>
#include <QRectF>
#include <QString>
#include <QTimer>
#include <QWidget>
#include <vector>

#include "celerity/Profiler.h"

namespace celerity::ui {

class ProfilerOverlay : public QWidget {
  Q_OBJECT

 public:
  struct Bar {
    int spanIndex = -1;  // into spans()
    QRectF rect;
    QColor color;
    bool open = false;   // still running: drawn up to the current time
  };

  explicit ProfilerOverlay(QWidget* imageView = nullptr);

  // Pure geometry (tested directly): top-level spans of `spans` as bars inside `area`, the
  // time range [0, scaleMs] mapped onto its width; every bar at least 1 px wide.
  static std::vector<Bar> layoutBars(const std::vector<ProfileSpan>& spans, double scaleMs,
                                     const QRectF& area);
  // x positions of the starts of per-step spans (step ≥ 0), same mapping.
  static std::vector<double> layoutStepTicks(const std::vector<ProfileSpan>& spans, double scaleMs,
                                             const QRectF& area);

  // The spans shown: open ones end at the current time.
  const std::vector<ProfileSpan>& spans() const { return spans_; }
  // True between the first beginStage of a job and setProfile/clear.
  bool isLive() const { return live_; }
  // The time the strip's width stands for: the job's wall time once finished; while live a
  // rounded-up value ahead of the current time, so that bars grow instead of shrinking.
  double timeScaleMs() const;
  // Where the bars are drawn, in widget coordinates.
  QRectF barArea() const;
  // The bars at the widget's current size.
  std::vector<Bar> bars() const;
  // The tooltip text for a point in widget coordinates; empty when there is nothing.
  QString hoverText(const QPoint& pos) const;

  int stripHeight() const { return stripHeight_; }
  void setStripHeight(int pixels);
  bool showsStepTicks() const { return showStepTicks_; }
  void setShowStepTicks(bool show);
  // While live, a timer extends the open bars between events (on by default). Tests turn it
  // off to get deterministic geometry.
  void setLiveClockEnabled(bool enabled);

  QSize sizeHint() const override;

 public slots:
  // A stage began (only name, parent, depth, startMs and step are meaningful).
  void beginStage(const celerity::ProfileSpan& span);
  // A stage ended: closes the innermost open span of that name.
  void endStage(const celerity::ProfileSpan& span);
  // The overlay shows what ran so far (from progress events); advances open bars.
  void setElapsedMs(double elapsedMs);
  // A finished (or cancelled) job: replaces whatever was shown.
  void setProfile(const celerity::JobProfile& profile);
  void clear();

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void followParent();
  void advanceClock();
  void noteTime(double ms);
  double currentMs() const;
  int innermostOpen(const std::string& name) const;

  std::vector<ProfileSpan> spans_;
  std::vector<bool> open_;  // parallel to spans_
  QString label_;
  double wallMs_ = 0.0;    // of a finished profile; 0 while live
  double latestMs_ = 0.0;  // the latest time any event named
  bool live_ = false;
  int stripHeight_ = 40;
  bool showStepTicks_ = true;
  bool liveClock_ = true;
  QTimer clockTimer_;
  QElapsedTimer sinceLatest_;  // wall time since latestMs_ was set
};

}  // namespace celerity::ui
