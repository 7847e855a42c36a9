#include "metadata/PromptEmphasis.h"

#include "metadata/PythonFormat.h"

namespace celerity {

namespace {

using Segments = std::vector<std::pair<std::u32string, double>>;

bool isDigitOrDot(char32_t c) { return c == '.' || (c >= '0' && c <= '9'); }

// `:\s*([+-]?[.\d]+)\s*\)` at `pos` (which holds ':'): the token length and weight text.
std::size_t matchWeight(const std::u32string& s, std::size_t pos, std::u32string& weight) {
  std::size_t i = pos + 1;
  while (i < s.size() && pyfmt::isSpace(s[i])) ++i;
  const std::size_t numberStart = i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const std::size_t digitsStart = i;
  while (i < s.size() && isDigitOrDot(s[i])) ++i;
  if (i == digitsStart) return 0;
  weight = s.substr(numberStart, i - numberStart);
  while (i < s.size() && pyfmt::isSpace(s[i])) ++i;
  if (i >= s.size() || s[i] != ')') return 0;
  return i + 1 - pos;
}

// re.split(r"\s*\bBREAK\b\s*", text), appending parts (weight 1.0) and BREAK markers (-1).
void appendSplitOnBreak(const std::u32string& text, Segments& out) {
  static const std::u32string kBreak = U"BREAK";
  const auto word = [&](std::size_t i) { return i < text.size() && pyfmt::isWordChar(text[i]); };
  std::size_t partStart = 0;
  std::size_t search = 0;
  while (true) {
    std::size_t j = text.find(kBreak, search);
    while (j != std::u32string::npos && ((j > 0 && word(j - 1)) || word(j + kBreak.size()))) {
      j = text.find(kBreak, j + 1);
    }
    if (j == std::u32string::npos) break;
    std::size_t matchStart = j;
    while (matchStart > partStart && pyfmt::isSpace(text[matchStart - 1])) --matchStart;
    std::size_t matchEnd = j + kBreak.size();
    while (matchEnd < text.size() && pyfmt::isSpace(text[matchEnd])) ++matchEnd;
    out.emplace_back(text.substr(partStart, matchStart - partStart), 1.0);
    out.emplace_back(kBreak, -1.0);
    partStart = search = matchEnd;
  }
  out.emplace_back(text.substr(partStart), 1.0);
}

}  // namespace

std::vector<std::pair<std::string, double>> promptAttentionSegments(const std::string& input) {
  const std::u32string s = pyfmt::decodeUtf8(input);
  Segments res;
  std::vector<std::size_t> round;
  std::vector<std::size_t> square;
  const double roundMultiplier = 1.1;
  const double squareMultiplier = 1 / 1.1;
  const auto multiplyRange = [&res](std::size_t start, double multiplier) {
    for (std::size_t p = start; p < res.size(); ++p) res[p].second *= multiplier;
  };

  std::size_t i = 0;
  while (i < s.size()) {
    const char32_t c = s[i];
    if (c == '\\') {
      // `\(` `\)` `\[` `\]` `\\` keep the escaped character; a lone `\` adds "".
      const bool escape =
          i + 1 < s.size() && std::u32string(U"()[]\\").find(s[i + 1]) != std::u32string::npos;
      res.emplace_back(escape ? s.substr(i + 1, 1) : std::u32string(), 1.0);
      i += escape ? 2 : 1;
      continue;
    }
    if (c == '(' || c == '[') {
      (c == '(' ? round : square).push_back(res.size());
      ++i;
      continue;
    }
    std::u32string token;
    std::u32string weight;
    std::size_t length = 0;
    if (c == ':' && (length = matchWeight(s, i, weight)) > 0) {
      token = s.substr(i, length);
      const auto value = pyfmt::parseFloat(pyfmt::encodeUtf8(weight));
      if (value && !round.empty()) {
        multiplyRange(round.back(), *value);
        round.pop_back();
        i += length;
        continue;
      }
    } else if (c == ')' || c == ']') {
      auto& stack = c == ')' ? round : square;
      length = 1;
      token = s.substr(i, 1);
      if (!stack.empty()) {
        multiplyRange(stack.back(), c == ')' ? roundMultiplier : squareMultiplier);
        stack.pop_back();
        i += 1;
        continue;
      }
    } else if (c == ':') {
      length = 1;
      token.assign(1, U':');
    } else {
      length = 0;
      while (i + length < s.size() &&
             std::u32string(U"\\()[]:").find(s[i + length]) == std::u32string::npos) {
        ++length;
      }
      token = s.substr(i, length);
    }
    appendSplitOnBreak(token, res);
    i += length;
  }
  for (std::size_t pos : round) multiplyRange(pos, roundMultiplier);
  for (std::size_t pos : square) multiplyRange(pos, squareMultiplier);
  if (res.empty()) res.emplace_back(std::u32string(), 1.0);

  // Merge runs of identical weights.
  for (std::size_t k = 0; k + 1 < res.size();) {
    if (res[k].second == res[k + 1].second) {
      res[k].first += res[k + 1].first;
      res.erase(res.begin() + static_cast<std::ptrdiff_t>(k) + 1);
    } else {
      ++k;
    }
  }

  std::vector<std::pair<std::string, double>> out;
  out.reserve(res.size());
  for (const auto& [text, w] : res) out.emplace_back(pyfmt::encodeUtf8(text), w);
  return out;
}

bool promptUsesEmphasis(const std::string& text) {
  for (const auto& [segment, weight] : promptAttentionSegments(text)) {
    if (weight != 1.0 && segment != "BREAK") return true;
  }
  return false;
}

}  // namespace celerity
