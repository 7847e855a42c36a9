#pragma once
// The centre of the window: the image canvas (previews, result, profiler overlay) and the
// job's progress line beneath it, with the overlay's toggle button.
#include <QAction>
#include <QToolButton>
#include <QWidget>

#include "ImageCanvas.h"
#include "JobProgressBar.h"

namespace celerity::ui {

class ImageView : public QWidget {
  Q_OBJECT

 public:
  explicit ImageView(QWidget* parent = nullptr);

  ImageCanvas* canvas() const { return canvas_; }
  JobProgressBar* progress() const { return progress_; }
  // The window's checkable "profiler overlay" action, shown as a button beside the progress.
  void setOverlayAction(QAction* action);
  QToolButton* overlayButton() const { return overlayButton_; }

 private:
  ImageCanvas* canvas_;
  JobProgressBar* progress_;
  QToolButton* overlayButton_;
};

}  // namespace celerity::ui
