#include "PromptTextEdit.h"

#include <QKeyEvent>
#include <QTextCursor>

namespace celerity::ui {

namespace {

enum class PromptKey { None, Generate, Cancel, WeightUp, WeightDown };

PromptKey promptKey(const QKeyEvent* event) {
  const auto modifiers = event->modifiers() & ~Qt::KeypadModifier;
  const bool ctrl = modifiers == Qt::ControlModifier;
  switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter: return ctrl ? PromptKey::Generate : PromptKey::None;
    case Qt::Key_Escape: return modifiers == Qt::NoModifier ? PromptKey::Cancel : PromptKey::None;
    case Qt::Key_Up: return ctrl ? PromptKey::WeightUp : PromptKey::None;
    case Qt::Key_Down: return ctrl ? PromptKey::WeightDown : PromptKey::None;
    default: return PromptKey::None;
  }
}

}  // namespace

PromptTextEdit::PromptTextEdit(QWidget* parent) : QPlainTextEdit(parent) {
  setTabChangesFocus(true);
  setLineWrapMode(QPlainTextEdit::WidgetWidth);
}

bool PromptTextEdit::event(QEvent* event) {
  // Accepting the override keeps a window shortcut on the same key from stealing it.
  if (event->type() == QEvent::ShortcutOverride &&
      promptKey(static_cast<QKeyEvent*>(event)) != PromptKey::None) {
    event->accept();
    return true;
  }
  return QPlainTextEdit::event(event);
}

void PromptTextEdit::keyPressEvent(QKeyEvent* event) {
  switch (promptKey(event)) {
    case PromptKey::Generate: emit generateRequested(); return;
    case PromptKey::Cancel: emit cancelRequested(); return;
    case PromptKey::WeightUp: editAttention(true); return;
    case PromptKey::WeightDown: editAttention(false); return;
    case PromptKey::None: break;
  }
  QPlainTextEdit::keyPressEvent(event);
}

void PromptTextEdit::editAttention(bool increase) {
  QTextCursor cursor = textCursor();
  const auto result = AttentionEdit::apply(toPlainText(), cursor.selectionStart(), cursor.selectionEnd(),
                                           increase, options_);
  if (result.changed) {
    cursor.beginEditBlock();
    cursor.select(QTextCursor::Document);
    cursor.insertText(result.text);
    cursor.endEditBlock();
  }
  cursor.setPosition(result.selectionStart);
  cursor.setPosition(result.selectionEnd, QTextCursor::KeepAnchor);
  setTextCursor(cursor);
}

}  // namespace celerity::ui
