#pragma once
// Ctrl+Up / Ctrl+Down on a prompt, as A1111's edit-attention.js does it: with no selection the
// enclosing <…>, (…) or […] block or the word under the cursor is selected; plain text
// becomes "(text:1.1)", old-style "((text))" becomes "(text:1.2)", "<lora:name:0.8>" moves by
// the extra-network precision, and a weight that reaches 1 removes its parentheses.
// Positions are UTF-16 indices, as in the JavaScript and in QTextCursor.
#include <QString>

namespace celerity::ui {

struct AttentionEditOptions {
  double attentionPrecision = 0.1;  // A1111 keyedit_precision_attention
  double extraPrecision = 0.05;     // A1111 keyedit_precision_extra
  // A1111 keyedit_delimiters plus its default whitespace delimiters (tab, CR, LF).
  QString delimiters = QStringLiteral(".,\\/!?%^*;:{}=`~() \t\r\n");
};

struct AttentionEditResult {
  QString text;
  int selectionStart = 0;
  int selectionEnd = 0;
  bool changed = false;  // false: the text is as it was (the selection may have moved)
};

class AttentionEdit {
 public:
  static AttentionEditResult apply(const QString& text, int selectionStart, int selectionEnd,
                                   bool increase, const AttentionEditOptions& options = {});

  // JavaScript's parseFloat of the text's start (leading white space allowed); NaN if none.
  static double parseLeadingFloat(const QString& text);
  // The weight as edit-attention.js writes it: 12 significant digits, shortest form, whole
  // numbers with ".0" ("1.2", "2.0", "0.95").
  static QString formatWeight(double weight);
};

}  // namespace celerity::ui
