#include "prompt/PromptAttention.h"

#include <cstddef>
#include <utility>

#include "celerity/Error.h"
#include "prompt/PyText.h"

namespace celerity {
namespace {

// One match of A1111's re_attention, whose alternatives are tried in this order at each
// position:  \( \) \[ \] \\ \  ( [  :\s*([+-]?[.\d]+)\s*\)  ) ]  [^\\()\[\]:]+  :
// Every character starts some alternative, so the matches tile the text.
struct AttentionToken {
  std::string_view text;
  std::string_view weight;  // the ([+-]?[.\d]+) group; empty when it did not take part
  bool hasWeight = false;
};

bool isSpecial(char c) {
  return c == '\\' || c == '(' || c == ')' || c == '[' || c == ']' || c == ':';
}

// ":\s*([+-]?[.\d]+)\s*\)" at `pos` (a colon): the end of the match, or npos.
std::size_t matchWeight(std::string_view text, std::size_t pos, std::string_view& weight) {
  std::size_t i = pytext::skipSpaces(text, pos + 1);
  const std::size_t start = i;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  const std::size_t runStart = i;
  while (i < text.size()) {
    std::size_t length = 1;
    const char32_t c = pytext::decodeAt(text, i, &length);
    if (c != '.' && pytext::digitValue(c) < 0) break;
    i += length;
  }
  if (i == runStart) return std::string_view::npos;
  weight = text.substr(start, i - start);
  i = pytext::skipSpaces(text, i);
  if (i < text.size() && text[i] == ')') return i + 1;
  return std::string_view::npos;
}

AttentionToken nextToken(std::string_view text, std::size_t pos) {
  AttentionToken token;
  const char c = text[pos];
  std::size_t end = pos + 1;
  if (c == '\\') {
    // \( \) \[ \] \\ take two characters; a backslash before anything else is alone.
    if (pos + 1 < text.size()) {
      const char next = text[pos + 1];
      if (next == '(' || next == ')' || next == '[' || next == ']' || next == '\\') end = pos + 2;
    }
  } else if (c == ':') {
    std::string_view weight;
    const std::size_t weightEnd = matchWeight(text, pos, weight);
    if (weightEnd != std::string_view::npos) {
      end = weightEnd;
      token.weight = weight;
      token.hasWeight = true;
    }
  } else if (!isSpecial(c)) {
    while (end < text.size() && !isSpecial(text[end])) ++end;
  }
  token.text = text.substr(pos, end - pos);
  return token;
}

// re.split(r"\s*\bBREAK\b\s*", piece): the leftmost match from each search position starts at
// the white space run before a whole-word BREAK and ends after the run following it.
std::vector<std::string_view> splitBreaks(std::string_view piece) {
  std::vector<std::string_view> parts;
  std::size_t partStart = 0;
  std::size_t search = 0;
  while (true) {
    std::size_t found = piece.find("BREAK", search);
    while (found != std::string_view::npos &&
           !(pytext::isWordBoundary(piece, found) && pytext::isWordBoundary(piece, found + 5))) {
      found = piece.find("BREAK", found + 1);
    }
    if (found == std::string_view::npos) break;
    const std::size_t matchStart = pytext::spacesStartBefore(piece, found, search);
    const std::size_t matchEnd = pytext::skipSpaces(piece, found + 5);
    parts.push_back(piece.substr(partStart, matchStart - partStart));
    partStart = search = matchEnd;
  }
  parts.push_back(piece.substr(partStart));
  return parts;
}

}  // namespace

std::vector<WeightedText> parseAttention(std::string_view text) {
  constexpr double kRoundMultiplier = 1.1;
  constexpr double kSquareMultiplier = 1 / 1.1;

  std::vector<WeightedText> res;
  std::vector<std::size_t> roundBrackets;
  std::vector<std::size_t> squareBrackets;

  const auto multiplyRange = [&res](std::size_t start, double multiplier) {
    for (std::size_t p = start; p < res.size(); ++p) res[p].weight *= multiplier;
  };

  for (std::size_t pos = 0; pos < text.size();) {
    const AttentionToken token = nextToken(text, pos);
    pos += token.text.size();
    const std::string_view t = token.text;

    if (t.front() == '\\') {
      res.push_back({std::string(t.substr(1)), 1.0});
    } else if (t == "(") {
      roundBrackets.push_back(res.size());
    } else if (t == "[") {
      squareBrackets.push_back(res.size());
    } else if (token.hasWeight && !roundBrackets.empty()) {
      const auto weight = pytext::parseFloat(token.weight);
      if (!weight) {
        throw CelerityError(ErrorCode::InvalidArgument,
                            "could not convert string to float: " + pytext::quoted(token.weight),
                            "prompt emphasis weight");
      }
      multiplyRange(roundBrackets.back(), *weight);
      roundBrackets.pop_back();
    } else if (t == ")" && !roundBrackets.empty()) {
      multiplyRange(roundBrackets.back(), kRoundMultiplier);
      roundBrackets.pop_back();
    } else if (t == "]" && !squareBrackets.empty()) {
      multiplyRange(squareBrackets.back(), kSquareMultiplier);
      squareBrackets.pop_back();
    } else {
      const std::vector<std::string_view> parts = splitBreaks(t);
      for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) res.push_back({"BREAK", -1.0});
        res.push_back({std::string(parts[i]), 1.0});
      }
    }
  }

  // Brackets left open apply to everything after them, outermost first.
  for (const std::size_t start : roundBrackets) multiplyRange(start, kRoundMultiplier);
  for (const std::size_t start : squareBrackets) multiplyRange(start, kSquareMultiplier);

  if (res.empty()) res.push_back({"", 1.0});

  // Merge runs of identical weights, as A1111 does after weighting.
  std::vector<WeightedText> merged;
  merged.reserve(res.size());
  for (WeightedText& piece : res) {
    if (!merged.empty() && merged.back().weight == piece.weight) {
      merged.back().text += piece.text;
    } else {
      merged.push_back(std::move(piece));
    }
  }
  return merged;
}

}  // namespace celerity
