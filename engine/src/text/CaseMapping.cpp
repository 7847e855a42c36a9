#include "text/CaseMapping.h"

#include "text/Pcre2Regex.h"
#include "text/Utf8.h"

namespace celerity {

namespace {

constexpr char32_t kCapitalSigma = 0x03A3;
constexpr char32_t kFinalSigma = 0x03C2;

const Pcre2Regex& everything() {
  static const Pcre2Regex regex("(?s).+");
  return regex;
}

bool isAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool matchesOne(const Pcre2Regex& regex, char32_t cp) {
  std::string encoded;
  utf8::append(encoded, cp);
  return regex.matchesAnywhere(encoded);
}

// Unicode's "cased" and "case-ignorable" properties, approximated from general categories
// (Python uses the exact derived properties; the difference is a handful of rare symbols).
bool isCased(char32_t cp) {
  static const Pcre2Regex regex(R"(^[\p{Lu}\p{Ll}\p{Lt}\x{2160}-\x{217F}\x{24B6}-\x{24E9}]$)");
  return matchesOne(regex, cp);
}

bool isCaseIgnorable(char32_t cp) {
  static const Pcre2Regex regex(
      R"(^[\p{Mn}\p{Me}\p{Cf}\p{Lm}\p{Sk}'.:\x{B7}\x{387}\x{2018}\x{2019}\x{2024}\x{2027}]$)");
  return matchesOne(regex, cp);
}

// Python lowers a capital sigma to final sigma at the end of a word (Unicode's Final_Sigma
// condition: a cased letter before it, none after it, case-ignorable characters skipped).
bool isFinalSigma(const std::u32string& text, std::size_t i) {
  std::size_t j = i;
  while (j > 0 && isCaseIgnorable(text[j - 1])) --j;
  if (j == 0 || !isCased(text[j - 1])) return false;
  std::size_t k = i + 1;
  while (k < text.size() && isCaseIgnorable(text[k])) ++k;
  return k == text.size() || !isCased(text[k]);
}

// The characters whose Python lower case PCRE2's \L does not give: \L only touches letters
// and maps one character to one, Python also lowers the Roman numerals (Nl) and the circled
// letters (So), and turns U+0130 into "i" + combining dot above.
std::u32string lowerSpecials(const std::u32string& text) {
  std::u32string out;
  out.reserve(text.size() + 4);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t cp = text[i];
    if (cp == 0x0130) {
      out += U'i';
      out += char32_t{0x0307};
    } else if (cp >= 0x2160 && cp <= 0x216F) {
      out += cp + 0x10;
    } else if (cp >= 0x24B6 && cp <= 0x24CF) {
      out += cp + 0x1A;
    } else if (cp == kCapitalSigma && isFinalSigma(text, i)) {
      out += kFinalSigma;
    } else {
      out += cp;
    }
  }
  return out;
}

bool needsSpecialLowering(const std::u32string& text) {
  for (char32_t cp : text) {
    if (cp == 0x0130 || cp == kCapitalSigma || (cp >= 0x2160 && cp <= 0x216F) ||
        (cp >= 0x24B6 && cp <= 0x24CF)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string toLowerLikePython(std::string_view text) {
  if (isAscii(text)) {
    std::string out(text);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  std::string prepared(text);
  if (const std::u32string codePoints = utf8::decode(text); needsSpecialLowering(codePoints)) {
    prepared = utf8::encode(lowerSpecials(codePoints));
  }
  return everything().replaceAll(prepared, "\\L$0", /*extended=*/true);
}

std::string toUpperLikePython(std::string_view text) {
  std::string upper = everything().replaceAll(text, "\\U$0", /*extended=*/true);
  // ß has no single-character upper case; Python's full mapping spells it "SS".
  std::string out;
  for (std::size_t pos = 0; pos < upper.size();) {
    const std::size_t start = pos;
    if (utf8::next(upper, pos) == 0x00DF) {
      out += "SS";
    } else {
      out.append(upper, start, pos - start);
    }
  }
  return out;
}

}  // namespace celerity
