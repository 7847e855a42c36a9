#include "celerity/LoraCatalog.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include "celerity/Error.h"
#include "lora/LoraFile.h"
#include "lora/LoraResolver.h"
#include "prompt/ExtraNetworks.h"
#include "prompt/PyText.h"

namespace celerity {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// "sd1", "sd2", "sdxl" or "" for any spelling of a family or base.
std::string familyKey(const std::string& text) {
  const auto t = lower(text);
  const auto starts = [&](const char* prefix) { return t.rfind(prefix, 0) == 0; };
  if (starts("sdxl") || starts("sd xl")) return "sdxl";
  if (starts("sd 1") || starts("sd1") || starts("sd_v1")) return "sd1";
  if (starts("sd 2") || starts("sd2") || starts("sd_v2")) return "sd2";
  return {};
}

LoraEntry describe(const LoraFileEntry& found, const std::string& name) {
  auto entry = readLoraEntry(found.path.string());
  entry.name = name;
  entry.relativeName = found.relativeName;
  entry.folder = found.folder.string();
  return entry;
}

// The end of `<(\w+):([^>]+)>` starting at `pos` (A1111's extra-network regex), or npos.
std::size_t tagEnd(std::string_view prompt, std::size_t pos) {
  std::size_t i = pos + 1;
  while (i < prompt.size()) {
    std::size_t length = 1;
    if (!pytext::isWord(pytext::decodeAt(prompt, i, &length))) break;
    i += length;
  }
  if (i == pos + 1 || i >= prompt.size() || prompt[i] != ':') return std::string_view::npos;
  const auto close = prompt.find('>', i + 1);
  if (close == std::string_view::npos || close == i + 1) return std::string_view::npos;
  return close + 1;
}

// The type, weights and kept arguments of one tag, read by the engine's own parser.
LoraTag readTag(std::string_view text, std::size_t begin, std::size_t end) {
  LoraTag tag;
  tag.begin = begin;
  tag.end = end;
  const auto parsed = extractExtraNetworks(text.substr(begin, end - begin));
  if (parsed.tags.size() != 1) {
    tag.error = "not an extra-network tag";
    return tag;
  }
  const auto& network = parsed.tags.front();
  tag.type = network.type;
  tag.name = network.name;
  try {
    const auto request = loraRequest(network);
    tag.teWeight = request.teWeight;
    tag.unetWeight = request.unetWeight;
  } catch (const CelerityError& e) {
    tag.error = e.error().message;
  }
  tag.unetGiven = network.positional.size() > 2 || network.named.count("unet") > 0;
  std::size_t positional = 0;
  for (const auto& arg : network.args) {
    const auto eq = arg.find('=');
    const bool named = eq != std::string::npos && arg.find('=', eq + 1) == std::string::npos;
    if (named) {
      const auto key = arg.substr(0, eq);
      if (key != "te" && key != "unet") tag.extraArgs.push_back(arg);
    } else if (positional++ >= 3) {  // name, te, unet are rewritten; dyn and the rest kept
      tag.extraArgs.push_back(arg);
    }
  }
  return tag;
}

bool isSpaceAt(std::string_view text, std::size_t pos) {
  return pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]));
}

}  // namespace

LoraEntry readLoraEntry(const std::string& path) {
  LoraEntry entry;
  const std::filesystem::path file(path);
  entry.path = path;
  entry.name = file.stem().string();
  entry.relativeName = entry.name;
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(file, ec);
  entry.fileBytes = ec ? 0 : static_cast<std::int64_t>(bytes);
  try {
    const auto lora = LoraFile::open(file);
    if (lora->base() != LoraBase::Unknown) entry.baseModel = loraBaseName(lora->base());
    entry.baseReason = lora->baseReason();
    entry.rank = static_cast<int>(lora->rank());
    const auto& meta = lora->metadata();
    if (meta.networkAlpha) {
      entry.alpha = *meta.networkAlpha;
    } else {
      const auto& adapters = lora->adapters();
      const auto withAlpha = std::find_if(adapters.begin(), adapters.end(), [](const auto& a) { return a.alpha; });
      entry.alpha = withAlpha != adapters.end() ? *withAlpha->alpha : static_cast<double>(entry.rank);
    }
    for (const auto& [word, count] : meta.triggerWords) entry.triggerWords.push_back(word);
    entry.outputName = meta.outputName;
  } catch (const CelerityError& e) {
    entry.error = e.error().message;
  } catch (const std::exception& e) {  // a listing shows what it can; one bad file must not end it
    entry.error = e.what();
  }
  return entry;
}

std::vector<LoraEntry> listLoras(const std::vector<std::string>& folders) {
  LoraResolver resolver(std::vector<std::filesystem::path>(folders.begin(), folders.end()));
  std::vector<LoraEntry> entries;
  std::set<std::string> stems;
  for (const auto& found : resolver.list()) {
    // The resolver gives a stem to the first file that has it; the others need their path.
    const bool first = stems.insert(found.name).second;
    entries.push_back(describe(found, first ? found.name : found.relativeName));
  }
  return entries;
}

LoraCompatibility loraCompatibility(const std::string& loraBase, const std::string& checkpointFamily) {
  const auto lora = familyKey(loraBase);
  const auto model = familyKey(checkpointFamily);
  if (lora.empty() || model.empty()) return LoraCompatibility::Unknown;
  return lora == model ? LoraCompatibility::Compatible : LoraCompatibility::Incompatible;
}

std::vector<LoraTag> findLoraTags(std::string_view prompt) {
  std::vector<LoraTag> tags;
  auto pos = prompt.find('<');
  while (pos != std::string_view::npos) {
    const auto end = tagEnd(prompt, pos);
    if (end == std::string_view::npos) {
      pos = prompt.find('<', pos + 1);
      continue;
    }
    auto tag = readTag(prompt, pos, end);
    if (tag.type == "lora" || tag.type == "lyco") tags.push_back(std::move(tag));
    pos = prompt.find('<', end);
  }
  return tags;
}

std::string formatLoraWeight(double weight) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4f", weight);
  std::string text(buffer);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

std::string formatLoraTag(const std::string& name, double teWeight, double unetWeight, const std::string& type,
                          const std::vector<std::string>& extraArgs) {
  // A positional extra argument (dyn) is read as the fourth: the UNet weight must be written.
  const bool positionalExtra = std::any_of(extraArgs.begin(), extraArgs.end(), [](const std::string& arg) {
    const auto eq = arg.find('=');
    return eq == std::string::npos || arg.find('=', eq + 1) != std::string::npos;
  });
  const auto te = formatLoraWeight(teWeight);
  const auto unet = formatLoraWeight(unetWeight);
  std::string text = "<" + type + ":" + name + ":" + te;
  if (unet != te || positionalExtra) text += ":" + unet;
  for (const auto& arg : extraArgs) text += ":" + arg;
  return text + ">";
}

std::string setLoraTagWeights(std::string_view prompt, const LoraTag& tag, double teWeight, double unetWeight) {
  std::string text(prompt.substr(0, tag.begin));
  text += formatLoraTag(tag.name, teWeight, unetWeight, tag.type.empty() ? "lora" : tag.type, tag.extraArgs);
  text += prompt.substr(std::min(tag.end, prompt.size()));
  return text;
}

std::string removeLoraTag(std::string_view prompt, const LoraTag& tag) {
  auto begin = std::min(tag.begin, prompt.size());
  auto end = std::min(tag.end, prompt.size());
  // "a, <lora:x:1>, b" → "a, b": the separator after the tag goes with it, else the one before.
  auto after = end;
  while (isSpaceAt(prompt, after)) ++after;
  if (after < prompt.size() && prompt[after] == ',') {
    ++after;
    while (isSpaceAt(prompt, after)) ++after;
    end = after;
  } else {
    auto before = begin;
    while (before > 0 && std::isspace(static_cast<unsigned char>(prompt[before - 1]))) --before;
    if (before > 0 && prompt[before - 1] == ',') --before;
    if (before < begin) {
      begin = before;
    } else {
      end = after;  // at the start: the spaces after it go
    }
  }
  std::string text(prompt.substr(0, begin));
  text += prompt.substr(end);
  return text;
}

std::string appendLoraTag(std::string_view prompt, const std::string& name, double weight) {
  std::string text(prompt);
  if (!text.empty() && !std::isspace(static_cast<unsigned char>(text.back()))) text += ' ';
  return text + formatLoraTag(name, weight, weight);
}

std::string scaleLoraWeights(std::string_view prompt, double factor) {
  std::string text(prompt);
  auto tags = findLoraTags(prompt);
  // Back to front: earlier offsets stay valid while later tags change length.
  for (auto it = tags.rbegin(); it != tags.rend(); ++it) {
    if (!it->error.empty()) continue;
    text = setLoraTagWeights(text, *it, it->teWeight * factor, it->unetWeight * factor);
  }
  return text;
}

}  // namespace celerity
