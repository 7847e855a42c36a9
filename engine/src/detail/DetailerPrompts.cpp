#include "detail/DetailerPrompts.h"

#include <algorithm>
#include <cctype>

#include "prompt/ExtraNetworks.h"

namespace celerity {
namespace {

constexpr const char* kSeparator = "[SEP]";
constexpr const char* kPromptToken = "[PROMPT]";

bool isSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string trimRight(std::string text) {
  while (!text.empty() && isSpace(text.back())) text.pop_back();
  return text;
}

std::string trimLeft(const std::string& text) {
  std::size_t start = 0;
  while (start < text.size() && isSpace(text[start])) ++start;
  return text.substr(start);
}

void replaceAll(std::string& text, const std::string& token, const std::string& value) {
  for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size())) {
    text.replace(at, token.size(), value);
  }
}

}  // namespace

std::vector<std::string> splitTabPrompts(const std::string& tabPrompt, const std::string& mainPrompt) {
  // ADetailer splits on \s*\[SEP\]\s*: whitespace around each separator goes, the text's own
  // leading and trailing whitespace stays.
  std::vector<std::string> parts;
  std::size_t start = 0;
  const std::string separator = kSeparator;
  while (true) {
    const auto at = tabPrompt.find(separator, start);
    std::string part = tabPrompt.substr(start, at == std::string::npos ? std::string::npos : at - start);
    if (!parts.empty()) part = trimLeft(part);
    if (at == std::string::npos) {
      parts.push_back(part);
      break;
    }
    parts.push_back(trimRight(part));
    start = at + separator.size();
  }
  for (auto& part : parts) {
    if (part.empty()) {
      part = mainPrompt;
    } else {
      replaceAll(part, kPromptToken, mainPrompt);
    }
  }
  return parts;
}

const std::string& promptForRegion(const std::vector<std::string>& prompts, std::size_t index) {
  return prompts[std::min(index, prompts.size() - 1)];
}

bool isSkipPrompt(const std::string& prompt) { return trimRight(trimLeft(prompt)) == "[SKIP]"; }

std::string loraSetKey(const std::string& prompt) {
  std::string key;
  for (const auto& tag : extractExtraNetworks(prompt).tags) {
    if (!isLoraTag(tag)) continue;
    key += '<';
    for (const auto& arg : tag.args) key += arg + ':';
    key += '>';
  }
  return key;
}

}  // namespace celerity
