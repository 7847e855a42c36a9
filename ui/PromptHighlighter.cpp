#include "PromptHighlighter.h"

#include <QRegularExpression>
#include <QVector>
#include <algorithm>

namespace celerity::ui {

namespace {

// Block state: round and square nesting depths (each < 256) left open at the line's end.
int packState(int round, int square) { return (std::min(round, 255) << 8) | std::min(square, 255); }

}  // namespace

PromptHighlighter::PromptHighlighter(QTextDocument* document) : QSyntaxHighlighter(document) {
  const QColor depthColors[3] = {QColor(0x2e, 0x86, 0xde), QColor(0x8e, 0x44, 0xad), QColor(0x16, 0xa0, 0x85)};
  for (int i = 0; i < 3; ++i) {
    brackets_[i].setForeground(depthColors[i]);
    brackets_[i].setFontWeight(QFont::Bold);
  }
  weight_.setForeground(QColor(0xd3, 0x54, 0x00));
  extraNetwork_.setForeground(QColor(0x27, 0xae, 0x60));
  extraNetwork_.setFontItalic(true);
  keyword_.setForeground(QColor(0xc0, 0x39, 0x2b));
  keyword_.setFontWeight(QFont::Bold);
  schedule_.setForeground(QColor(0xb7, 0x95, 0x0b));
  schedule_.setFontWeight(QFont::Bold);
}

const QTextCharFormat& PromptHighlighter::bracketFormat(int depth) const {
  return brackets_[std::max(0, depth) % 3];
}

void PromptHighlighter::highlightKeywords(const QString& text) {
  // Whole upper-case words, as A1111 matches them (BREAK: \bBREAK\b; AND: \bAND\b).
  static const QRegularExpression keywords(QStringLiteral("\\b(BREAK|AND)\\b"));
  for (auto it = keywords.globalMatch(text); it.hasNext();) {
    const auto match = it.next();
    setFormat(static_cast<int>(match.capturedStart()), static_cast<int>(match.capturedLength()), keyword_);
  }
}

void PromptHighlighter::highlightExtraNetworks(const QString& text) {
  // extra_networks.re_extra_net: <(\w+):([^>]+)>
  static const QRegularExpression tag(QStringLiteral("<(\\w+):([^>]+)>"));
  for (auto it = tag.globalMatch(text); it.hasNext();) {
    const auto match = it.next();
    setFormat(static_cast<int>(match.capturedStart()), static_cast<int>(match.capturedLength()), extraNetwork_);
  }
}

void PromptHighlighter::highlightBlock(const QString& text) {
  const int previous = previousBlockState();
  int round = previous > 0 ? (previous >> 8) & 0xff : 0;
  int square = previous > 0 ? previous & 0xff : 0;
  // Which kind each open bracket is, innermost last, to colour the closing one alike.
  QVector<QChar> open;
  for (int i = 0; i < round; ++i) open.push_back(QLatin1Char('('));
  for (int i = 0; i < square; ++i) open.push_back(QLatin1Char('['));

  static const QRegularExpression weightAfterColon(QStringLiteral("^:\\s*-?[\\d.]+\\s*(?=\\))"));
  for (int i = 0; i < text.size(); ++i) {
    const QChar c = text[i];
    if (c == QLatin1Char('\\')) {  // \( \) \[ \] are literal text
      ++i;
      continue;
    }
    const int depth = static_cast<int>(open.size());
    if (c == QLatin1Char('(') || c == QLatin1Char('[')) {
      setFormat(i, 1, bracketFormat(depth));
      open.push_back(c);
    } else if ((c == QLatin1Char(')') || c == QLatin1Char(']')) && !open.isEmpty()) {
      open.pop_back();
      setFormat(i, 1, bracketFormat(depth - 1));
    } else if (c == QLatin1Char(':') && !open.isEmpty()) {
      if (open.back() == QLatin1Char('(')) {
        const auto match = weightAfterColon.match(text.mid(i));
        if (match.hasMatch()) {
          setFormat(i, static_cast<int>(match.capturedLength()), weight_);
          i += static_cast<int>(match.capturedLength()) - 1;
        }
      } else {
        setFormat(i, 1, schedule_);  // [from:to:when]
      }
    } else if (c == QLatin1Char('|') && !open.isEmpty() && open.back() == QLatin1Char('[')) {
      setFormat(i, 1, schedule_);  // [a|b] alternation
    }
  }
  highlightExtraNetworks(text);
  highlightKeywords(text);

  round = static_cast<int>(std::count(open.begin(), open.end(), QLatin1Char('(')));
  square = static_cast<int>(open.size()) - round;
  setCurrentBlockState(packState(round, square));
}

}  // namespace celerity::ui
