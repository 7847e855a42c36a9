#include "PromptPanel.h"

#include <QHBoxLayout>
#include <QSplitter>
#include <QVBoxLayout>

namespace celerity::ui {

PromptPanel::PromptPanel(QWidget* parent)
    : QWidget(parent),
      positive_(new PromptEditor(tr("&Prompt"), true, this)),
      negative_(new PromptEditor(tr("&Negative prompt"), false, this)),
      generate_(new QPushButton(tr("&Generate"), this)),
      cancel_(new QPushButton(tr("Cancel"), this)) {
  positive_->setObjectName(QStringLiteral("positivePrompt"));
  negative_->setObjectName(QStringLiteral("negativePrompt"));
  positive_->setPlaceholderText(tr("What to paint: a photo of a cat, (detailed fur:1.2)"));
  negative_->setPlaceholderText(tr("What to avoid: blurry, lowres"));
  generate_->setObjectName(QStringLiteral("generateButton"));
  generate_->setToolTip(tr("Generate (Ctrl+Enter)"));
  generate_->setDefault(true);
  cancel_->setObjectName(QStringLiteral("cancelButton"));
  cancel_->setToolTip(tr("Cancel the running job (Escape)"));
  cancel_->setEnabled(false);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(positive_);
  splitter->addWidget(negative_);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  splitter->setChildrenCollapsible(false);

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(generate_, 3);
  buttons->addWidget(cancel_, 1);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(splitter, 1);
  layout->addLayout(buttons);

  for (PromptEditor* editor : {positive_, negative_}) {
    connect(editor, &PromptEditor::generateRequested, this, &PromptPanel::generateRequested);
    connect(editor, &PromptEditor::cancelRequested, this, &PromptPanel::cancelRequested);
  }
  connect(generate_, &QPushButton::clicked, this, &PromptPanel::generateRequested);
  connect(cancel_, &QPushButton::clicked, this, &PromptPanel::cancelRequested);
}

void PromptPanel::setTokenCounter(const std::shared_ptr<const PromptTokenCounter>& counter) {
  positive_->setTokenCounter(counter);
  negative_->setTokenCounter(counter);
}

void PromptPanel::setSteps(int steps) {
  positive_->setSteps(steps);
  negative_->setSteps(steps);
}

void PromptPanel::setBusy(bool busy) { cancel_->setEnabled(busy); }

}  // namespace celerity::ui
