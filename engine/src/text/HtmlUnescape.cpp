#include "text/HtmlUnescape.h"

#include <unordered_map>

#include "text/CaseMapping.h"
#include "text/Utf8.h"

namespace celerity {

namespace {

// U+00A0..U+00FF in order: the entities HTML5 also accepts without a semicolon.
constexpr const char* kLatin1Names[96] = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",
    "uml",    "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",
    "deg",    "plusmn", "sup2",   "sup3",   "acute",  "micro",  "para",   "middot",
    "cedil",  "sup1",   "ordm",   "raquo",  "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc",  "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil",
    "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave", "Iacute", "Icirc",  "Iuml",
    "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde", "Ouml",   "times",
    "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",  "szlig",
    "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
    "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",
    "eth",    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide",
    "oslash", "ugrave", "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml",
};

struct NamedEntity {
  const char* name;
  char32_t value;
};

// The other legacy (semicolon optional) names.
constexpr NamedEntity kLegacyEntities[] = {
    {"amp", U'&'},  {"AMP", U'&'},  {"lt", U'<'},     {"LT", U'<'},    {"gt", U'>'},
    {"GT", U'>'},   {"quot", U'"'}, {"QUOT", U'"'},   {"COPY", 0xA9},  {"REG", 0xAE},
};

// Semicolon-only names: a small, common subset of HTML5's list.
constexpr NamedEntity kSemicolonEntities[] = {
    {"apos", U'\''},     {"Tab", U'\t'},       {"NewLine", U'\n'},   {"hellip", 0x2026},
    {"mldr", 0x2026},    {"ndash", 0x2013},    {"mdash", 0x2014},    {"horbar", 0x2015},
    {"lsquo", 0x2018},   {"rsquo", 0x2019},    {"sbquo", 0x201A},    {"ldquo", 0x201C},
    {"rdquo", 0x201D},   {"bdquo", 0x201E},    {"lsaquo", 0x2039},   {"rsaquo", 0x203A},
    {"bull", 0x2022},    {"bullet", 0x2022},   {"centerdot", 0xB7},  {"trade", 0x2122},
    {"TRADE", 0x2122},   {"euro", 0x20AC},     {"dagger", 0x2020},   {"Dagger", 0x2021},
    {"permil", 0x2030},  {"prime", 0x2032},    {"Prime", 0x2033},    {"larr", 0x2190},
    {"uarr", 0x2191},    {"rarr", 0x2192},     {"darr", 0x2193},     {"harr", 0x2194},
    {"hearts", 0x2665},  {"spades", 0x2660},   {"clubs", 0x2663},    {"diams", 0x2666},
    {"star", 0x2606},    {"starf", 0x2605},    {"check", 0x2713},    {"cross", 0x2717},
    {"infin", 0x221E},   {"ne", 0x2260},       {"le", 0x2264},       {"ge", 0x2265},
    {"minus", 0x2212},   {"asymp", 0x2248},    {"notin", 0x2209},    {"parallel", 0x2225},
    {"thinsp", 0x2009},  {"ensp", 0x2002},     {"emsp", 0x2003},     {"zwj", 0x200D},
    {"zwnj", 0x200C},    {"lrm", 0x200E},      {"rlm", 0x200F},      {"OElig", 0x0152},
    {"oelig", 0x0153},   {"Scaron", 0x0160},   {"scaron", 0x0161},   {"Yuml", 0x0178},
    {"fnof", 0x0192},    {"circ", 0x02C6},     {"tilde", 0x02DC},    {"sharp", 0x266F},
    {"flat", 0x266D},    {"natural", 0x266E},
};

struct EntityTables {
  std::unordered_map<std::string, char32_t> legacy;     // valid with or without ';'
  std::unordered_map<std::string, char32_t> withSemicolon;  // every name, ';' required
};

const EntityTables& tables() {
  static const EntityTables t = [] {
    EntityTables built;
    for (int i = 0; i < 96; ++i) built.legacy.emplace(kLatin1Names[i], char32_t(0xA0 + i));
    for (const auto& e : kLegacyEntities) built.legacy.emplace(e.name, e.value);
    built.withSemicolon = built.legacy;
    for (const auto& e : kSemicolonEntities) built.withSemicolon.emplace(e.name, e.value);
    return built;
  }();
  return t;
}

std::string encoded(char32_t cp) {
  std::string out;
  utf8::append(out, cp);
  return out;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHexDigit(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool isAsciiAlnum(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int hexValue(char c) {
  if (isDigit(c)) return c - '0';
  return (c | 0x20) - 'a' + 10;
}

// What `&#<number>` stands for, with HTML5's rules for the numbers that are not characters.
std::string numericReference(std::uint64_t number) {
  if (number == 0) return encoded(utf8::kReplacementCharacter);
  if (number == 0x0D) return "\r";
  if (number >= 0x80 && number <= 0x9F) return encoded(windows1252ForC1(char32_t(number)));
  if ((number >= 0xD800 && number <= 0xDFFF) || number > 0x10FFFF) {
    return encoded(utf8::kReplacementCharacter);
  }
  const bool invalid = (number >= 0x01 && number <= 0x08) || number == 0x0B ||
                       (number >= 0x0E && number <= 0x1F) || number == 0x7F ||
                       (number >= 0xFDD0 && number <= 0xFDEF) || (number & 0xFFFE) == 0xFFFE;
  return invalid ? std::string() : encoded(char32_t(number));
}

// Parses `&#...` at `amp` (text[amp] == '&', text[amp+1] == '#'); returns the end of the
// reference, or `amp` when the digits are missing.
std::size_t numericEnd(std::string_view text, std::size_t amp, std::string& replacement) {
  std::size_t i = amp + 2;
  const bool hex = i + 1 < text.size() && (text[i] == 'x' || text[i] == 'X') &&
                   isHexDigit(text[i + 1]);
  if (hex) ++i;
  const std::size_t digitsBegin = i;
  std::uint64_t number = 0;
  while (i < text.size() && (hex ? isHexDigit(text[i]) : isDigit(text[i]))) {
    const std::uint64_t digit = hex ? hexValue(text[i]) : std::uint64_t(text[i] - '0');
    number = number * (hex ? 16 : 10) + digit;
    if (number > 0x10FFFF) number = 0x110000;  // every larger number means U+FFFD
    ++i;
  }
  if (i == digitsBegin) return amp;
  if (i < text.size() && text[i] == ';') ++i;
  replacement = numericReference(number);
  return i;
}

bool endsName(char c) {
  return c == '\t' || c == '\n' || c == '\f' || c == ' ' || c == '<' || c == '&' || c == '#' ||
         c == ';';
}

// Python's named branch: `[^\t\n\f <&#;]{1,32};?` (32 code points), the exact name first,
// then the longest legacy name that is a proper prefix of it.
std::size_t namedEnd(std::string_view text, std::size_t amp, std::string& replacement) {
  std::size_t i = amp + 1;
  int codePoints = 0;
  while (i < text.size() && codePoints < 32 && !endsName(text[i])) {
    utf8::next(text, i);
    ++codePoints;
  }
  if (codePoints == 0) return amp;
  const std::string_view name = text.substr(amp + 1, i - amp - 1);
  const bool semicolon = i < text.size() && text[i] == ';';
  if (semicolon) ++i;
  const auto& t = tables();
  const auto& exact = semicolon ? t.withSemicolon : t.legacy;
  if (auto it = exact.find(std::string(name)); it != exact.end()) {
    replacement = encoded(it->second);
    return i;
  }
  const std::size_t wholeLength = name.size() + (semicolon ? 1 : 0);
  for (std::size_t length = std::min<std::size_t>(wholeLength - 1, 6); length >= 2; --length) {
    if (auto it = t.legacy.find(std::string(name.substr(0, length))); it != t.legacy.end()) {
      replacement = encoded(it->second);
      replacement.append(text.substr(amp + 1 + length, i - amp - 1 - length));
      return i;
    }
  }
  return amp;
}

}  // namespace

char32_t windows1252ForC1(char32_t c1) {
  static constexpr char32_t kTable[32] = {
      0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,   0x017D, 0x8F,
      0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178,
  };
  return (c1 >= 0x80 && c1 <= 0x9F) ? kTable[c1 - 0x80] : c1;
}

std::string htmlUnescape(std::string_view text) {
  if (text.find('&') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) break;
    out.append(text.substr(pos, amp - pos));
    std::string replacement;
    const bool numeric = amp + 1 < text.size() && text[amp + 1] == '#';
    const std::size_t end = numeric ? numericEnd(text, amp, replacement)
                                    : namedEnd(text, amp, replacement);
    if (end == amp) {
      out += '&';
      pos = amp + 1;
    } else {
      out += replacement;
      pos = end;
    }
  }
  out.append(text.substr(pos));
  return out;
}

namespace {

// ftfy's table: every `&name;`, plus `&NAME;` for an all-lower-case name whose capitals are
// not already a reference of their own (so `&EACUTE;` reads as "É", `&AMP;` stays `&`).
const std::unordered_map<std::string, std::string>& ftfyEntities() {
  static const std::unordered_map<std::string, std::string> entities = [] {
    std::unordered_map<std::string, std::string> built;
    for (const auto& [name, value] : tables().withSemicolon) {
      built.emplace("&" + name + ";", encoded(value));
    }
    for (const auto& [name, value] : tables().withSemicolon) {
      if (toLowerLikePython(name) != name) continue;
      const std::string upper = "&" + toUpperLikePython(name) + ";";
      if (htmlUnescape(upper) == upper) built.emplace(upper, toUpperLikePython(encoded(value)));
    }
    return built;
  }();
  return entities;
}

}  // namespace

std::string ftfyUnescapeHtml(std::string_view text) {
  if (text.find('&') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) break;
    out.append(text.substr(pos, amp - pos));
    // `&#?[0-9A-Za-z]{1,24};`
    std::size_t i = amp + 1;
    const bool hash = i < text.size() && text[i] == '#';
    if (hash) ++i;
    const std::size_t nameBegin = i;
    while (i < text.size() && i - nameBegin < 24 && isAsciiAlnum(text[i])) ++i;
    if (i == nameBegin || i >= text.size() || text[i] != ';') {
      out += '&';
      pos = amp + 1;
      continue;
    }
    const std::string_view reference = text.substr(amp, i + 1 - amp);
    pos = i + 1;
    const auto& entities = ftfyEntities();
    if (auto it = entities.find(std::string(reference)); it != entities.end()) {
      out += it->second;
    } else if (hash) {
      // Only when html.unescape consumed the whole reference, semicolon included.
      const std::string decoded = htmlUnescape(reference);
      out += decoded.find(';') == std::string::npos ? decoded : std::string(reference);
    } else {
      out.append(reference);
    }
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace celerity
