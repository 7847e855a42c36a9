#pragma once
// A plain-text prompt field with the A1111 keys: Ctrl+Enter generates, Escape cancels,
// Ctrl+Up / Ctrl+Down change the weight of the selection (or of the word / bracket under
// the cursor). The keys are claimed before the window's shortcuts see them, so they work
// however the window's actions are bound.
#include <QPlainTextEdit>

#include "AttentionEdit.h"

namespace celerity::ui {

class PromptTextEdit : public QPlainTextEdit {
  Q_OBJECT

 public:
  explicit PromptTextEdit(QWidget* parent = nullptr);

  void setAttentionOptions(const AttentionEditOptions& options) { options_ = options; }
  // Applies Ctrl+Up (increase) / Ctrl+Down to the current selection; one undo step.
  void editAttention(bool increase);

 signals:
  void generateRequested();
  void cancelRequested();

 protected:
  bool event(QEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;

 private:
  AttentionEditOptions options_;
};

}  // namespace celerity::ui
