#pragma once
// A1111's emphasis syntax (modules/prompt_parser.py, parse_prompt_attention): "(text)" × 1.1,
// "[text]" ÷ 1.1, "(text:1.5)" × 1.5, "\(" "\)" "\[" "\]" "\\" for the literal characters,
// and BREAK, which starts a new 75-token chunk. The weights are the same doubles Python
// computes: every bracket multiplies the pieces inside it in the same order.
#include <string>
#include <string_view>
#include <vector>

namespace celerity {

struct WeightedText {
  std::string text;
  double weight = 1.0;

  bool operator==(const WeightedText& other) const {
    return text == other.text && weight == other.weight;
  }
};

// The pieces of `text` with their weights, adjacent equal weights merged; never empty (the
// empty prompt gives one empty piece of weight 1). Unbalanced brackets are closed at the end
// of the text; stray closing brackets are text. Throws CelerityError(InvalidArgument) where
// A1111 raises, which is only a "(text:w)" whose w is not a number, such as "(a:0.5.1)".
std::vector<WeightedText> parseAttention(std::string_view text);

// A BREAK piece as A1111's text encoder recognises it: "BREAK" with weight exactly −1. A
// BREAK inside brackets has its weight multiplied and so is ordinary text there, as in A1111.
inline bool isBreak(const WeightedText& piece) {
  return piece.weight == -1.0 && piece.text == "BREAK";
}

}  // namespace celerity
