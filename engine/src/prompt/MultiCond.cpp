#include "prompt/MultiCond.h"

#include <string_view>
#include <unordered_map>
#include <utility>

#include "prompt/PyText.h"

namespace celerity {
namespace {

// re.split(r"\bAND\b", prompt)
std::vector<std::string_view> splitAnd(std::string_view prompt) {
  std::vector<std::string_view> parts;
  std::size_t partStart = 0;
  std::size_t found = prompt.find("AND");
  while (found != std::string_view::npos) {
    if (pytext::isWordBoundary(prompt, found) && pytext::isWordBoundary(prompt, found + 3)) {
      parts.push_back(prompt.substr(partStart, found - partStart));
      partStart = found + 3;
      found = prompt.find("AND", partStart);
    } else {
      found = prompt.find("AND", found + 1);
    }
  }
  parts.push_back(prompt.substr(partStart));
  return parts;
}

// [-+]?(?:\d+\.?|\d*\.\d+) followed only by white space, from `pos`: the number's end, or npos.
std::size_t matchTrailingWeight(std::string_view text, std::size_t pos) {
  std::size_t i = pos;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  const auto skipDigits = [&text](std::size_t p, std::size_t& count) {
    count = 0;
    while (p < text.size()) {
      std::size_t length = 1;
      if (pytext::digitValue(pytext::decodeAt(text, p, &length)) < 0) break;
      p += length;
      ++count;
    }
    return p;
  };
  std::size_t intDigits = 0;
  std::size_t fracDigits = 0;
  i = skipDigits(i, intDigits);
  if (i < text.size() && text[i] == '.') {
    const std::size_t fracEnd = skipDigits(i + 1, fracDigits);
    if (intDigits == 0 && fracDigits == 0) return std::string_view::npos;
    i = fracEnd;
  } else if (intDigits == 0) {
    return std::string_view::npos;
  }
  return pytext::skipSpaces(text, i) == text.size() ? i : std::string_view::npos;
}

// re_weight = ^((?:\s|.)*?)(?:\s*:\s*([-+]?(?:\d+\.?|\d*\.\d+)))?\s*$ : the lazy text group
// is as short as possible, so a weight can only follow the last colon, and without one the
// text ends where the trailing white space begins.
void splitWeight(std::string_view subPrompt, std::string_view& text, double& weight) {
  const std::size_t colon = subPrompt.rfind(':');
  if (colon != std::string_view::npos) {
    const std::size_t numberStart = pytext::skipSpaces(subPrompt, colon + 1);
    const std::size_t numberEnd = matchTrailingWeight(subPrompt, numberStart);
    if (numberEnd != std::string_view::npos) {
      text = subPrompt.substr(0, pytext::spacesStartBefore(subPrompt, colon));
      weight = pytext::parseFloat(subPrompt.substr(numberStart, numberEnd - numberStart))
                   .value_or(1.0);  // the pattern admits only valid numbers
      return;
    }
  }
  text = subPrompt.substr(0, pytext::spacesStartBefore(subPrompt, subPrompt.size()));
  weight = 1.0;
}

}  // namespace

MultiCondList multiCondPromptList(const std::vector<std::string>& prompts) {
  MultiCondList result;
  std::unordered_map<std::string, std::size_t> indexOf;
  for (const std::string& prompt : prompts) {
    std::vector<SubPromptRef> refs;
    for (const std::string_view subPrompt : splitAnd(prompt)) {
      std::string_view text;
      double weight = 1.0;
      splitWeight(subPrompt, text, weight);
      auto [it, inserted] = indexOf.emplace(std::string(text), result.flatPrompts.size());
      if (inserted) result.flatPrompts.emplace_back(text);
      refs.push_back({it->second, weight});
    }
    result.indexes.push_back(std::move(refs));
  }
  return result;
}

}  // namespace celerity
