#include "PromptEditor.h"

#include <QHBoxLayout>
#include <QStringList>
#include <QVBoxLayout>
#include <utility>

namespace celerity::ui {

PromptEditor::PromptEditor(const QString& title, bool positive, QWidget* parent)
    : QWidget(parent), edit_(new PromptTextEdit(this)), counter_(new QLabel(this)), positive_(positive) {
  highlighter_ = new PromptHighlighter(edit_->document());
  auto* titleLabel = new QLabel(title, this);
  titleLabel->setBuddy(edit_);
  counter_->setObjectName(QStringLiteral("tokenCounter"));
  counter_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

  auto* header = new QHBoxLayout;
  header->setContentsMargins(0, 0, 0, 0);
  header->addWidget(titleLabel);
  header->addStretch(1);
  header->addWidget(counter_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(header);
  layout->addWidget(edit_, 1);

  connect(edit_, &QPlainTextEdit::textChanged, this, [this]() {
    updateCounter();
    emit textChanged();
  });
  connect(edit_, &PromptTextEdit::generateRequested, this, &PromptEditor::generateRequested);
  connect(edit_, &PromptTextEdit::cancelRequested, this, &PromptEditor::cancelRequested);
  updateCounter();
}

void PromptEditor::setText(const QString& text) {
  if (text != edit_->toPlainText()) edit_->setPlainText(text);
}

void PromptEditor::setTokenCounter(std::shared_ptr<const PromptTokenCounter> counter) {
  tokenCounter_ = std::move(counter);
  updateCounter();
}

void PromptEditor::setSteps(int steps) {
  if (steps == steps_) return;
  steps_ = steps;
  updateCounter();
}

QString PromptEditor::counterText(const PromptTokenCount& count) {
  return QStringLiteral("%1/%2").arg(count.tokenCount).arg(count.targetTokenCount);
}

QString PromptEditor::counterToolTip(const PromptTokenCount& count) {
  QStringList lines;
  for (int i = 0; i < count.chunkCount(); ++i) {
    lines << tr("Chunk %1: %2/%3 tokens")
                 .arg(i + 1)
                 .arg(count.chunkTokens[static_cast<std::size_t>(i)])
                 .arg(PromptTokenCounter::kChunkLength);
  }
  return lines.join(QLatin1Char('\n'));
}

void PromptEditor::updateCounter() {
  if (!tokenCounter_) {
    counter_->setText(QStringLiteral("–"));
    counter_->setToolTip(tr("Token counter unavailable: the CLIP vocabulary was not found"));
    return;
  }
  const PromptTokenCount count = tokenCounter_->count(text().toStdString(), steps_, positive_);
  counter_->setText(counterText(count));
  counter_->setToolTip(counterToolTip(count));
}

}  // namespace celerity::ui
