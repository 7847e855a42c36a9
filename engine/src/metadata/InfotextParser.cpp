#include "metadata/InfotextParser.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "metadata/InfotextVersion.h"
#include "metadata/PromptEmphasis.h"

namespace celerity {

using pyfmt::PyDict;
using pyfmt::PyValue;

bool ParsedInfotext::isFilledIn(const std::string& key) const {
  return std::find(filledIn.begin(), filledIn.end(), key) != filledIn.end();
}

namespace {

bool isKeyChar(char32_t c) { return pyfmt::isWordChar(c) || c == ' ' || c == '-' || c == '/'; }

// Python `$` without MULTILINE: the end, or just before a final "\n".
bool atEnd(const std::u32string& s, std::size_t i) {
  return i == s.size() || (i + 1 == s.size() && s[i] == '\n');
}

// `"(?:\\.|[^\\"])+"` at `start`: the index after the closing quote, or npos.
std::size_t matchQuoted(const std::u32string& s, std::size_t start) {
  if (start >= s.size() || s[start] != '"') return std::u32string::npos;
  std::size_t i = start + 1;
  std::size_t count = 0;
  while (i < s.size()) {
    if (s[i] == '\\') {
      if (i + 1 >= s.size() || s[i + 1] == '\n') return std::u32string::npos;  // `.` ≠ "\n"
      i += 2;
    } else if (s[i] == '"') {
      return count > 0 ? i + 1 : std::u32string::npos;
    } else {
      ++i;
    }
    ++count;
  }
  return std::u32string::npos;
}

std::string textOf(const PyValue& value) {
  const auto* s = std::get_if<std::string>(&value);
  return s ? *s : std::string();
}

// Truthiness of a Python value (`d.get('Refiner')`).
bool truthy(const PyValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return !s->empty();
  if (const auto* i = std::get_if<long long>(&value)) return *i != 0;
  if (const auto* b = std::get_if<bool>(&value)) return *b;
  if (const auto* d = std::get_if<double>(&value)) return *d != 0;
  return false;
}

// True when it rewrote Size / Hires resize from an old "First pass size".
bool restoreOldHiresFixParams(PyDict& res, const InfotextParseOptions& options) {
  const PyValue* firstPassWidth = res.find("First pass size-1");
  const PyValue* firstPassHeight = res.find("First pass size-2");

  if (options.useOldHiresFixWidthHeight) {
    const auto hiresWidth = pyfmt::toInt(res.get("Hires resize-1", 0LL));
    const auto hiresHeight = pyfmt::toInt(res.get("Hires resize-2", 0LL));
    if (!hiresWidth || !hiresHeight) return false;  // Python would raise
    if (*hiresWidth && *hiresHeight) {
      res.set("Size-1", *hiresWidth);
      res.set("Size-2", *hiresHeight);
      return false;
    }
  }
  if (!firstPassWidth || !firstPassHeight) return false;
  auto fpw = pyfmt::toInt(*firstPassWidth);
  auto fph = pyfmt::toInt(*firstPassHeight);
  const auto width = pyfmt::toInt(res.get("Size-1", 512LL));
  const auto height = pyfmt::toInt(res.get("Size-2", 512LL));
  if (!fpw || !fph || !width || !height) return false;
  if (*fpw == 0 || *fph == 0) {
    if (*width <= 0 || *height <= 0) return false;  // Python divides by zero here
    std::tie(*fpw, *fph) = oldHiresFixFirstPassDimensions(*width, *height);
  }
  res.set("Size-1", *fpw);
  res.set("Size-2", *fph);
  res.set("Hires resize-1", *width);
  res.set("Hires resize-2", *height);
  return true;
}

void backcompat(PyDict& d, const InfotextParseOptions& options, std::vector<std::string>& filled) {
  if (!options.autoBackcompat) return;
  const auto* versionText = std::get_if<std::string>(d.find("Version"));
  if (!versionText) return;
  const auto version = parseInfotextVersion(*versionText);
  if (!version) return;
  const auto setFlag = [&](const std::string& key) {
    if (!d.contains(key)) filled.push_back(key);
    d.set(key, true);
  };
  if (*version < infotextVersion160() &&
      textOf(d.get("Prompt", std::string())).find('[') != std::string::npos) {
    setFlag("Old prompt editing timelines");
  }
  const std::string sampler = textOf(d.get("Sampler", std::string()));
  if (*version < infotextVersion160() && (sampler == "DDIM" || sampler == "PLMS")) {
    setFlag("Pad conds v0");
  }
  if (*version < infotextVersion170Tsnr()) setFlag("Downcast alphas_cumprod");
  if (*version < infotextVersion180() && truthy(d.get("Refiner"))) {
    setFlag("Refiner switch by sampling steps");
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> findInfotextParams(const std::string& line) {
  const std::u32string s = pyfmt::decodeUtf8(line);
  std::vector<std::pair<std::string, std::string>> found;
  std::size_t pos = 0;
  while (pos < s.size()) {
    // \s*(\w[\w \-/]+):  — the key class excludes ':', so the greedy run never backtracks.
    std::size_t i = pos;
    while (i < s.size() && pyfmt::isSpace(s[i])) ++i;
    std::size_t k = i;
    if (k < s.size() && pyfmt::isWordChar(s[k])) {
      ++k;
      while (k < s.size() && isKeyChar(s[k])) ++k;
    }
    if (k < i + 2 || k >= s.size() || s[k] != ':') {
      // Every start up to k reaches the same end of the key run and fails the same way.
      pos = std::max(pos + 1, k > i ? k : i + 1);
      continue;
    }
    // \s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$): the quoted form only when a ',' or the end follows.
    std::size_t v = k + 1;
    while (v < s.size() && pyfmt::isSpace(s[v])) ++v;
    std::size_t valueEnd = matchQuoted(s, v);
    std::size_t next = 0;
    if (valueEnd != std::u32string::npos && valueEnd < s.size() && s[valueEnd] == ',') {
      next = valueEnd + 1;
    } else if (valueEnd != std::u32string::npos && atEnd(s, valueEnd)) {
      next = valueEnd;
    } else {
      valueEnd = v;
      while (valueEnd < s.size() && s[valueEnd] != ',') ++valueEnd;
      next = valueEnd < s.size() ? valueEnd + 1 : valueEnd;
    }
    found.emplace_back(pyfmt::encodeUtf8(s.substr(i, k - i)),
                       pyfmt::encodeUtf8(s.substr(v, valueEnd - v)));
    pos = next;
  }
  return found;
}

bool matchImageSize(const std::string& value, std::string& first, std::string& second) {
  std::string text = value;
  if (!text.empty() && text.back() == '\n') text.pop_back();  // `$` before a final newline
  const auto x = text.find('x');
  if (x == std::string::npos || x == 0 || x + 1 >= text.size()) return false;
  const auto digits = [](const std::string& t) {
    return !t.empty() && t.find_first_not_of("0123456789") == std::string::npos;
  };
  first = text.substr(0, x);
  second = text.substr(x + 1);
  return digits(first) && digits(second);
}

std::pair<long long, long long> oldHiresFixFirstPassDimensions(long long width, long long height) {
  const double desiredPixelCount = 512.0 * 512.0;
  const double actualPixelCount = static_cast<double>(width) * static_cast<double>(height);
  const double scale = std::sqrt(desiredPixelCount / actualPixelCount);
  const auto w = static_cast<long long>(std::ceil(scale * static_cast<double>(width) / 64)) * 64;
  const auto h = static_cast<long long>(std::ceil(scale * static_cast<double>(height) / 64)) * 64;
  return {w, h};
}

ParsedInfotext parseInfotextDetailed(const std::string& text, const InfotextParseOptions& options) {
  ParsedInfotext out;
  PyDict& res = out.params;

  // *lines, lastline = x.strip().split("\n")
  std::vector<std::string> lines;
  const std::string stripped = pyfmt::strip(text);
  for (std::size_t start = 0;;) {
    const std::size_t nl = stripped.find('\n', start);
    lines.push_back(stripped.substr(start, nl == std::string::npos ? nl : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  std::string lastLine = lines.back();
  lines.pop_back();
  auto params = findInfotextParams(lastLine);
  if (params.size() < 3) {
    lines.push_back(lastLine);
    params.clear();
  }

  std::string prompt;
  std::string negativePrompt;
  bool doneWithPrompt = false;
  static const std::string kNegative = "Negative prompt:";
  for (const auto& rawLine : lines) {
    std::string line = pyfmt::strip(rawLine);
    if (line.compare(0, kNegative.size(), kNegative) == 0) {
      doneWithPrompt = true;
      line = pyfmt::strip(line.substr(kNegative.size()));
    }
    std::string& target = doneWithPrompt ? negativePrompt : prompt;
    target += (target.empty() ? "" : "\n") + line;
  }

  for (auto& [key, value] : params) {
    if (value.empty()) continue;  // A1111's v[0] raises IndexError; the pair is skipped
    if (value.front() == '"' && value.back() == '"') value = pyfmt::unquote(value);
    std::string first;
    std::string second;
    if (matchImageSize(value, first, second)) {
      res.set(key + "-1", first);
      res.set(key + "-2", second);
    } else {
      res.set(key, value);
    }
  }

  // Style extraction with no styles: only the hires prompts are normalised against the prompts.
  if (options.infotextStyles != "Ignore" &&
      (res.contains("Hires prompt") || res.contains("Hires negative prompt"))) {
    const auto* versionText = std::get_if<std::string>(res.find("Version"));
    const auto version = versionText ? parseInfotextVersion(*versionText) : std::nullopt;
    if (!version || *version > infotextVersion180HrStyles()) {
      const std::string hrPrompt = textOf(res.get("Hires prompt", prompt));
      const std::string hrNegative = textOf(res.get("Hires negative prompt", negativePrompt));
      res.set("Hires prompt", hrPrompt == prompt ? std::string() : hrPrompt);
      res.set("Hires negative prompt", hrNegative == negativePrompt ? std::string() : hrNegative);
    }
  }

  res.set("Prompt", prompt);
  res.set("Negative prompt", negativePrompt);

  const auto fill = [&](const std::string& key, PyValue value) {
    if (res.contains(key)) return;
    res.set(key, std::move(value));
    out.filledIn.push_back(key);
  };

  fill("Clip skip", std::string("1"));
  if (const auto* hypernet = res.find("Hypernet")) {
    const std::string strength = pyfmt::str(res.get("Hypernet strength", std::string("1.0")));
    res.set("Prompt", textOf(res.get("Prompt")) + "<hypernet:" + pyfmt::str(*hypernet) + ":" +
                          strength + ">");
  }
  if (!res.contains("Hires resize-1")) {
    fill("Hires resize-1", 0LL);
    fill("Hires resize-2", 0LL);
  }
  fill("Hires sampler", std::string("Use same sampler"));
  fill("Hires schedule type", std::string("Use same scheduler"));
  fill("Hires checkpoint", std::string("Use same checkpoint"));
  fill("Hires prompt", std::string());
  fill("Hires negative prompt", std::string());
  fill("Mask mode", std::string("Inpaint masked"));
  fill("Masked content", std::string("original"));
  fill("Inpaint area", std::string("Whole picture"));
  fill("Masked area padding", 32LL);

  if (restoreOldHiresFixParams(res, options)) {
    for (const char* key : {"Hires resize-1", "Hires resize-2"}) {
      out.filledIn.erase(std::remove(out.filledIn.begin(), out.filledIn.end(), key),
                         out.filledIn.end());
    }
  }

  fill("RNG", std::string("GPU"));
  fill("Schedule type", std::string("Automatic"));
  fill("Schedule max sigma", 0LL);
  fill("Schedule min sigma", 0LL);
  fill("Schedule rho", 0LL);
  fill("VAE Encoder", std::string("Full"));
  fill("VAE Decoder", std::string("Full"));
  fill("FP8 weight", std::string("Disable"));
  const auto* fp8 = std::get_if<std::string>(res.find("FP8 weight"));
  if (!fp8 || *fp8 != "Disable") fill("Cache FP16 weight for LoRA", false);

  if (promptUsesEmphasis(prompt) || promptUsesEmphasis(negativePrompt)) {
    fill("Emphasis", std::string("Original"));
  }
  fill("Refiner switch by sampling steps", false);

  backcompat(res, options, out.filledIn);

  for (const auto& key : options.skipFields) {
    res.erase(key);
    out.filledIn.erase(std::remove(out.filledIn.begin(), out.filledIn.end(), key),
                       out.filledIn.end());
  }
  return out;
}

PyDict parseInfotext(const std::string& text, const InfotextParseOptions& options) {
  return parseInfotextDetailed(text, options).params;
}

}  // namespace celerity
