#pragma once
// One prompt (positive or negative): the text field with syntax highlighting and A1111's
// keys, a title, and the live token counter ("12/75", "80/150" past one chunk; the tooltip
// lists each chunk). Without a tokenizer the counter shows a dash.
#include <QLabel>
#include <QWidget>
#include <memory>

#include "PromptHighlighter.h"
#include "PromptTextEdit.h"
#include "celerity/PromptTokens.h"

namespace celerity::ui {

class PromptEditor : public QWidget {
  Q_OBJECT

 public:
  // `positive`: the prompt (split at AND for counting) rather than the negative prompt.
  PromptEditor(const QString& title, bool positive, QWidget* parent = nullptr);

  QString text() const { return edit_->toPlainText(); }
  void setText(const QString& text);
  void setPlaceholderText(const QString& text) { edit_->setPlaceholderText(text); }

  void setTokenCounter(std::shared_ptr<const PromptTokenCounter> counter);
  // Prompt editing ([from:to:when]) is counted for this many steps, as A1111 does.
  void setSteps(int steps);
  QString counterText() const { return counter_->text(); }
  QString counterToolTip() const { return counter_->toolTip(); }

  PromptTextEdit* textEdit() const { return edit_; }
  PromptHighlighter* highlighter() const { return highlighter_; }

  // "12/75"; a chunk list for the tooltip ("Chunk 1: 75/75 tokens …").
  static QString counterText(const PromptTokenCount& count);
  static QString counterToolTip(const PromptTokenCount& count);

 signals:
  void textChanged();
  void generateRequested();
  void cancelRequested();

 private:
  void updateCounter();

  PromptTextEdit* edit_;
  PromptHighlighter* highlighter_;
  QLabel* counter_;
  std::shared_ptr<const PromptTokenCounter> tokenCounter_;
  bool positive_;
  int steps_ = 20;
};

}  // namespace celerity::ui
