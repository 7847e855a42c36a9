#pragma once
// The progress of the running job under the image: a bar over every step of every batch
// and a line such as "Step 5/20 · 3.41 it/s · ETA 4 s · image 2/4", then the outcome
// ("Done in 3.2 s", "Cancelled", "Failed: …").
#include <QLabel>
#include <QProgressBar>
#include <QWidget>

#include "celerity/Error.h"
#include "celerity/Events.h"

namespace celerity::ui {

class JobProgressBar : public QWidget {
  Q_OBJECT

 public:
  explicit JobProgressBar(QWidget* parent = nullptr);

  void showStarted(const QString& label);
  void showProgress(const ProgressEvent& progress);
  void showFinished(double wallMs, int images);
  void showCancelled();
  void showFailed(const Error& error);
  void showMessage(const QString& text);
  // A job made of whole runs (the A/B runner): the bar at done / total, `text` beside it.
  void showRuns(int done, int total, const QString& text);

  QString text() const { return label_->text(); }
  int percent() const { return bar_->value(); }

  // "Step 5/20 · 3.41 it/s · ETA 4 s" (+ " · image 2/4", "Hires step …").
  static QString progressText(const ProgressEvent& progress);
  // "4 s", "1 min 05 s"; "…" while unknown (negative).
  static QString etaText(double ms);
  // The job's share done over every batch: 0 … 100.
  static int percentDone(const ProgressEvent& progress);

 private:
  QProgressBar* bar_;
  QLabel* label_;
};

}  // namespace celerity::ui
