#include "prompt/ExtraNetworks.h"

#include <utility>

#include "celerity/Error.h"
#include "prompt/PyText.h"

namespace celerity {
namespace {

std::vector<std::string> splitAll(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t found = text.find(separator, start);
    parts.emplace_back(text.substr(start, found - start));
    if (found == std::string_view::npos) return parts;
    start = found + 1;
  }
}

ExtraNetworkTag makeTag(std::string_view type, std::string_view args) {
  ExtraNetworkTag tag;
  tag.type = std::string(type);
  tag.args = splitAll(args, ':');
  for (const std::string& item : tag.args) {
    // item.split('=', 2) has two parts exactly when there is one '='.
    const std::size_t eq = item.find('=');
    if (eq != std::string::npos && item.find('=', eq + 1) == std::string::npos) {
      tag.named[item.substr(0, eq)] = item.substr(eq + 1);
    } else {
      tag.positional.push_back(item);
    }
  }
  if (!tag.positional.empty()) tag.name = tag.positional.front();
  return tag;
}

// <(\w+):([^>]+)> at `pos`: the end of the match, or npos.
std::size_t matchTag(std::string_view prompt, std::size_t pos, std::size_t nextClose,
                     std::string_view& type, std::string_view& args) {
  std::size_t i = pos + 1;
  while (i < prompt.size()) {
    std::size_t length = 1;
    if (!pytext::isWord(pytext::decodeAt(prompt, i, &length))) break;
    i += length;
  }
  if (i == pos + 1 || i >= prompt.size() || prompt[i] != ':') return std::string_view::npos;
  // [^>]+ runs to the first '>' after the colon and must not be empty.
  if (nextClose == std::string_view::npos || nextClose <= i + 1) return std::string_view::npos;
  type = prompt.substr(pos + 1, i - pos - 1);
  args = prompt.substr(i + 1, nextClose - i - 1);
  return nextClose + 1;
}

double multiplier(const std::string& value, const ExtraNetworkTag& tag) {
  const auto parsed = pytext::parseFloat(value);
  if (!parsed) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "could not convert string to float: " + pytext::quoted(value),
                        "<" + tag.type + ":" + tag.name + ">");
  }
  return *parsed;
}

long long rank(const std::string& value, const ExtraNetworkTag& tag) {
  const auto parsed = pytext::parseInt(value);
  if (!parsed) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "invalid literal for int() with base 10: " + pytext::quoted(value),
                        "<" + tag.type + ":" + tag.name + ">");
  }
  return *parsed;
}

}  // namespace

ExtraNetworkPrompt extractExtraNetworks(std::string_view prompt) {
  ExtraNetworkPrompt result;
  std::size_t copied = 0;
  std::size_t nextClose = prompt.find('>');
  std::size_t pos = prompt.find('<');
  while (pos != std::string_view::npos) {
    if (nextClose == std::string_view::npos) break;  // no tag can end any more
    if (nextClose < pos) nextClose = prompt.find('>', pos);
    std::string_view type;
    std::string_view args;
    const std::size_t end = matchTag(prompt, pos, nextClose, type, args);
    if (end == std::string_view::npos) {
      pos = prompt.find('<', pos + 1);
      continue;
    }
    result.text.append(prompt.substr(copied, pos - copied));
    result.tags.push_back(makeTag(type, args));
    copied = end;
    pos = prompt.find('<', end);
  }
  result.text.append(prompt.substr(copied));
  return result;
}

bool isLoraTag(const ExtraNetworkTag& tag) { return tag.type == "lora" || tag.type == "lyco"; }

LoraRequest loraRequest(const ExtraNetworkTag& tag) {
  if (tag.positional.empty()) {
    throw CelerityError(ErrorCode::InvalidArgument, "the tag names no network",
                        "<" + tag.type + ":...>");
  }
  const auto named = [&tag](const char* key) -> const std::string* {
    const auto it = tag.named.find(key);
    return it == tag.named.end() ? nullptr : &it->second;
  };
  LoraRequest request;
  request.name = tag.positional[0];
  request.teWeight = tag.positional.size() > 1 ? multiplier(tag.positional[1], tag) : 1.0;
  if (const std::string* te = named("te")) request.teWeight = multiplier(*te, tag);
  request.unetWeight =
      tag.positional.size() > 2 ? multiplier(tag.positional[2], tag) : request.teWeight;
  if (const std::string* unet = named("unet")) request.unetWeight = multiplier(*unet, tag);
  if (tag.positional.size() > 3) request.dynDim = rank(tag.positional[3], tag);
  if (const std::string* dyn = named("dyn")) request.dynDim = rank(*dyn, tag);
  return request;
}

}  // namespace celerity
