#include "EmptyStatePanel.h"

#include <QVBoxLayout>

namespace celerity::ui {

EmptyStatePanel::EmptyStatePanel(QWidget* parent)
    : QWidget(parent),
      places_(new QLabel(this)),
      chooseFolder_(new QPushButton(tr("Choose a models folder…"), this)),
      demo_(new QPushButton(tr("Create the demo checkpoint"), this)) {
  setObjectName(QStringLiteral("emptyState"));
  auto* title = new QLabel(tr("<h2>No checkpoints found</h2>"), this);
  auto* intro = new QLabel(tr("Celerity looks for Stable Diffusion checkpoints (.safetensors) in:"), this);
  intro->setWordWrap(true);
  places_->setObjectName(QStringLiteral("searchedPlaces"));
  places_->setWordWrap(true);
  places_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* folderHint = new QLabel(
      tr("Pick an AUTOMATIC1111 or ComfyUI install (its models are found in models/Stable-diffusion "
         "or models/checkpoints), or any folder that holds .safetensors checkpoints."),
      this);
  folderHint->setWordWrap(true);
  auto* demoHint = new QLabel(
      tr("Or try the studio at once with a demo checkpoint made here in a second: a tiny SD 1.5 "
         "model with random weights. Every part of the studio works with it, but its pictures "
         "are noise, not art."),
      this);
  demoHint->setWordWrap(true);
  chooseFolder_->setObjectName(QStringLiteral("chooseFolderButton"));
  demo_->setObjectName(QStringLiteral("demoCheckpointButton"));

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(48, 32, 48, 32);
  layout->addStretch(1);
  layout->addWidget(title);
  layout->addWidget(intro);
  layout->addWidget(places_);
  layout->addSpacing(12);
  layout->addWidget(folderHint);
  layout->addWidget(chooseFolder_, 0, Qt::AlignLeft);
  layout->addSpacing(12);
  layout->addWidget(demoHint);
  layout->addWidget(demo_, 0, Qt::AlignLeft);
  layout->addStretch(2);

  connect(chooseFolder_, &QPushButton::clicked, this, &EmptyStatePanel::chooseFolderRequested);
  connect(demo_, &QPushButton::clicked, this, &EmptyStatePanel::demoCheckpointRequested);
}

void EmptyStatePanel::setSearchedPlaces(const QStringList& places) {
  QStringList lines;
  for (const QString& place : places) lines << QStringLiteral("• ") + place;
  places_->setText(lines.join(QLatin1Char('\n')));
}

void EmptyStatePanel::setDemoAvailable(bool available) {
  demo_->setEnabled(available);
  demo_->setToolTip(available ? QString() : tr("This build cannot make checkpoints"));
}

}  // namespace celerity::ui
