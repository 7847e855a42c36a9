#include "ImageView.h"

#include <QHBoxLayout>
#include <QVBoxLayout>

namespace celerity::ui {

ImageView::ImageView(QWidget* parent)
    : QWidget(parent),
      canvas_(new ImageCanvas(this)),
      progress_(new JobProgressBar(this)),
      overlayButton_(new QToolButton(this)) {
  overlayButton_->setObjectName(QStringLiteral("overlayToggle"));
  overlayButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  auto* bottom = new QHBoxLayout;
  bottom->setContentsMargins(0, 0, 0, 0);
  bottom->addWidget(progress_, 1);
  bottom->addWidget(overlayButton_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addWidget(canvas_, 1);
  layout->addLayout(bottom);
}

void ImageView::setOverlayAction(QAction* action) {
  overlayButton_->setDefaultAction(action);
  connect(action, &QAction::toggled, canvas_, &ImageCanvas::setOverlayVisible);
  canvas_->setOverlayVisible(action->isChecked());
}

}  // namespace celerity::ui
