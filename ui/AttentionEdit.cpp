#include "AttentionEdit.h"

#include <QLocale>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace celerity::ui {

namespace {

// JavaScript's text[i]: a character, or none outside the string.
QChar at(const QString& text, int i) { return i >= 0 && i < text.size() ? text[i] : QChar(); }

// JavaScript's Number → string for the values edit-attention produces (shortest round trip).
QString jsNumber(double value) {
  return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

class Editor {
 public:
  Editor(QString text, int start, int end, const AttentionEditOptions& options)
      : text_(std::move(text)), start_(start), end_(end), options_(options) {}

  // With no selection: the content of the enclosing OPEN…CLOSE block, without a trailing
  // ":weight".
  bool selectBlock(QChar open, QChar close) {
    if (start_ != end_) return false;
    const QString before = text_.left(start_);
    const int beforeParen = before.lastIndexOf(open);
    if (beforeParen == -1) return false;
    const int beforeClosing = before.lastIndexOf(close);
    if (beforeClosing != -1 && beforeClosing > beforeParen) return false;
    const QString after = text_.mid(start_);
    const int afterParen = after.indexOf(close);
    if (afterParen == -1) return false;
    const int afterOpening = after.indexOf(open);
    if (afterOpening != -1 && afterOpening < afterParen) return false;

    const QString content = text_.mid(beforeParen + 1, start_ + afterParen - (beforeParen + 1));
    static const QRegularExpression weighted(QStringLiteral(":-?[\\d.]+"));
    start_ = beforeParen + 1;
    if (content.contains(weighted)) {
      end_ = start_ + static_cast<int>(content.lastIndexOf(QLatin1Char(':')));
    } else {
      end_ = start_ + static_cast<int>(content.size());
    }
    return true;
  }

  void selectWord() {
    if (start_ != end_) return;
    const QString& d = options_.delimiters;
    while (start_ > 0 && !d.contains(at(text_, start_ - 1))) --start_;
    while (end_ < text_.size() && !d.contains(at(text_, end_))) ++end_;
    while (at(text_, start_) == QLatin1Char(' ') && start_ < end_) ++start_;
    while (at(text_, end_ - 1) == QLatin1Char(' ') && end_ > start_) --end_;
  }

  AttentionEditResult run(bool increase) {
    if (!selectBlock('<', '>') && !selectBlock('(', ')') && !selectBlock('[', ']')) selectWord();

    QChar close = QLatin1Char(')');
    double delta = options_.attentionPrecision;
    const QChar start = start_ > 0 ? at(text_, start_ - 1) : QChar();
    const QChar end = at(text_, end_);
    if (start == QLatin1Char('<')) {
      close = QLatin1Char('>');
      delta = options_.extraPrecision;
    } else if ((start == QLatin1Char('(') && end == QLatin1Char(')')) ||
               (start == QLatin1Char('[') && end == QLatin1Char(']'))) {
      // Old-style emphasis: count the brackets, turn them into one explicit weight.
      int brackets = 0;
      while (at(text_, start_ - brackets - 1) == start && at(text_, end_ + brackets) == end) ++brackets;
      double weight = std::pow(start == QLatin1Char('[') ? 1.0 / 1.1 : 1.1, brackets);
      weight = std::round(weight / options_.attentionPrecision) * options_.attentionPrecision;
      text_ = text_.left(start_ - brackets) + QLatin1Char('(') + text_.mid(start_, end_ - start_) +
              QLatin1Char(':') + jsNumber(weight) + QLatin1Char(')') + text_.mid(end_ + brackets);
      start_ -= brackets - 1;
      end_ -= brackets - 1;
      changed_ = true;
    } else if (start != QLatin1Char('(')) {
      while (end_ > start_ && at(text_, end_ - 1) == QLatin1Char(' ')) --end_;
      if (start_ == end_) return result();
      text_ = text_.left(start_) + QLatin1Char('(') + text_.mid(start_, end_ - start_) +
              QStringLiteral(":1.0)") + text_.mid(end_);
      ++start_;
      ++end_;
      changed_ = true;
    }

    if (at(text_, end_) != QLatin1Char(':')) return result();
    const int weightLength = static_cast<int>(text_.mid(end_ + 1).indexOf(close)) + 1;
    double weight = AttentionEdit::parseLeadingFloat(text_.mid(end_ + 1, std::max(0, weightLength - 1)));
    if (std::isnan(weight)) return result();

    weight += increase ? delta : -delta;
    weight = QString::number(weight, 'g', 12).toDouble();
    if (close == QLatin1Char(')') && weight == 1.0) {
      const int endParen = static_cast<int>(text_.mid(end_).indexOf(QLatin1Char(')')));
      text_ = text_.left(start_ - 1) + text_.mid(start_, end_ - start_) + text_.mid(end_ + endParen + 1);
      --start_;
      --end_;
    } else {
      text_ = text_.left(end_ + 1) + AttentionEdit::formatWeight(weight) + text_.mid(end_ + weightLength);
    }
    changed_ = true;
    return result();
  }

 private:
  AttentionEditResult result() const { return {text_, start_, end_, changed_}; }

  QString text_;
  int start_;
  int end_;
  const AttentionEditOptions& options_;
  bool changed_ = false;
};

}  // namespace

AttentionEditResult AttentionEdit::apply(const QString& text, int selectionStart, int selectionEnd,
                                         bool increase, const AttentionEditOptions& options) {
  const int size = static_cast<int>(text.size());
  const int a = std::clamp(std::min(selectionStart, selectionEnd), 0, size);
  const int b = std::clamp(std::max(selectionStart, selectionEnd), 0, size);
  return Editor(text, a, b, options).run(increase);
}

double AttentionEdit::parseLeadingFloat(const QString& text) {
  static const QRegularExpression number(
      QStringLiteral("^\\s*([+-]?(?:Infinity|\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?))"));
  const auto match = number.match(text);
  if (!match.hasMatch()) return std::numeric_limits<double>::quiet_NaN();
  const QString token = match.captured(1);
  if (token.endsWith(QLatin1String("Infinity"))) {
    return token.startsWith(QLatin1Char('-')) ? -std::numeric_limits<double>::infinity()
                                              : std::numeric_limits<double>::infinity();
  }
  return token.toDouble();
}

QString AttentionEdit::formatWeight(double weight) {
  if (std::isfinite(weight) && weight == std::floor(weight)) {
    return QString::number(static_cast<long long>(weight)) + QStringLiteral(".0");
  }
  return jsNumber(weight);
}

}  // namespace celerity::ui
