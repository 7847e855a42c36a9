#pragma once
// Colours A1111's prompt syntax as the user types: (emphasis:1.2) and [de-emphasis] brackets
// by nesting depth, their weights, prompt editing [from:to:when] and [a|b] separators,
// extra-network tags <lora:name:0.8>, and the BREAK / AND keywords. Nesting carries over
// line ends through the block state.
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace celerity::ui {

class PromptHighlighter : public QSyntaxHighlighter {
  Q_OBJECT

 public:
  explicit PromptHighlighter(QTextDocument* document);

  // The formats, exposed for tests and for a legend.
  const QTextCharFormat& bracketFormat(int depth) const;
  const QTextCharFormat& weightFormat() const { return weight_; }
  const QTextCharFormat& extraNetworkFormat() const { return extraNetwork_; }
  const QTextCharFormat& keywordFormat() const { return keyword_; }
  const QTextCharFormat& scheduleFormat() const { return schedule_; }

 protected:
  void highlightBlock(const QString& text) override;

 private:
  void highlightKeywords(const QString& text);
  void highlightExtraNetworks(const QString& text);

  QTextCharFormat brackets_[3];
  QTextCharFormat weight_;
  QTextCharFormat extraNetwork_;
  QTextCharFormat keyword_;
  QTextCharFormat schedule_;
};

}  // namespace celerity::ui
