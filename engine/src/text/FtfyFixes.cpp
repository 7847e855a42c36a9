#include "text/FtfyFixes.h"

#include "text/HtmlUnescape.h"
#include "text/Pcre2Regex.h"
#include "text/UnicodeNormalization.h"
#include "text/Utf8.h"

namespace celerity {

namespace {

// ftfy's LIGATURES: Latin typographic ligatures and legacy digraphs, not æ or œ.
std::u32string_view ligature(char32_t cp) {
  switch (cp) {
    case 0x0132: return U"IJ";
    case 0x0133: return U"ij";
    case 0x0149: return U"\u02BCn";
    case 0x01F1: return U"DZ";
    case 0x01F2: return U"Dz";
    case 0x01F3: return U"dz";
    case 0x01C4: return U"D\u017D";
    case 0x01C5: return U"D\u017E";
    case 0x01C6: return U"d\u017E";
    case 0x01C7: return U"LJ";
    case 0x01C8: return U"Lj";
    case 0x01C9: return U"lj";
    case 0x01CA: return U"NJ";
    case 0x01CB: return U"Nj";
    case 0x01CC: return U"nj";
    case 0xFB00: return U"ff";
    case 0xFB01: return U"fi";
    case 0xFB02: return U"fl";
    case 0xFB03: return U"ffi";
    case 0xFB04: return U"ffl";
    case 0xFB05: return U"\u017Ft";
    case 0xFB06: return U"st";
    default: return {};
  }
}

// ftfy's WIDTH_MAP (NFKC of the halfwidth/fullwidth block) for the parts listed in the
// header; an empty view means "unchanged".
std::u32string_view standardWidth(char32_t cp, char32_t& single) {
  if (cp == 0x3000) {
    single = U' ';
  } else if (cp >= 0xFF01 && cp <= 0xFF5E) {
    single = cp - 0xFEE0;
  } else if (cp == 0xFFE3) {
    return U" \u0304";  // FULLWIDTH MACRON is a spacing macron
  } else {
    static constexpr char32_t kPunctuation[] = {0x2985, 0x2986, 0x3002, 0x300C,
                                                0x300D, 0x3001, 0x30FB};  // FF5F-FF65
    static constexpr char32_t kSymbols[] = {0xA2,   0xA3,   0xAC,   0,      0xA6,
                                            0xA5,   0x20A9, 0,      0x2502, 0x2190,
                                            0x2191, 0x2192, 0x2193, 0x25A0, 0x25CB};  // FFE0-FFEE
    if (cp >= 0xFF5F && cp <= 0xFF65) {
      single = kPunctuation[cp - 0xFF5F];
    } else if (cp >= 0xFFE0 && cp <= 0xFFEE && kSymbols[cp - 0xFFE0] != 0) {
      single = kSymbols[cp - 0xFFE0];
    } else {
      return {};
    }
  }
  return std::u32string_view(&single, 1);
}

bool isRemovedControl(char32_t cp) {
  return cp <= 0x08 || cp == 0x0B || (cp >= 0x0E && cp <= 0x1F) || cp == 0x7F ||
         (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFC);
}

// One str.translate() step: `map` appends what a code point becomes (itself if unchanged).
template <typename Map>
std::u32string translate(const std::u32string& text, Map map) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t cp : text) map(cp, out);
  return out;
}

std::u32string fixCharacters(const std::u32string& input) {
  std::u32string text = translate(input, [](char32_t cp, std::u32string& out) {
    out += windows1252ForC1(cp);  // fix_c1_controls
  });
  text = translate(text, [](char32_t cp, std::u32string& out) {
    const auto replacement = ligature(cp);
    if (replacement.empty()) {
      out += cp;
    } else {
      out += replacement;
    }
  });
  text = translate(text, [](char32_t cp, std::u32string& out) {
    char32_t single = 0;
    const auto replacement = standardWidth(cp, single);
    if (replacement.empty()) {
      out += cp;
    } else {
      out += replacement;
    }
  });
  text = translate(text, [](char32_t cp, std::u32string& out) {  // uncurl_quotes
    if (cp >= 0x201C && cp <= 0x201F) {
      out += U'"';
    } else if (cp == 0x02BC || (cp >= 0x2018 && cp <= 0x201B)) {
      out += U'\'';
    } else {
      out += cp;
    }
  });
  std::u32string lines;  // fix_line_breaks
  lines.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t cp = text[i];
    if (cp == U'\r') {
      lines += U'\n';
      if (i + 1 < text.size() && text[i + 1] == U'\n') ++i;
    } else if (cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
      lines += U'\n';
    } else {
      lines += cp;
    }
  }
  return lines;
}

std::string removeTerminalEscapes(const std::string& text) {
  if (text.find('\x1b') == std::string::npos) return text;
  static const Pcre2Regex ansi(R"(\x1b\[(?:\d|;)*[a-zA-Z])");
  return ansi.replaceAll(text, "");
}

std::string removeControlChars(const std::string& text) {
  return utf8::encode(translate(utf8::decode(text), [](char32_t cp, std::u32string& out) {
    if (!isRemovedControl(cp)) out += cp;
  }));
}

std::string fixSegment(std::string text, bool unescapeHtml) {
  // ftfy repeats its fixes until they change nothing (e.g. "&amp;amp;" → "&").
  for (;;) {
    const std::string before = text;
    if (unescapeHtml) text = ftfyUnescapeHtml(text);
    text = utf8::encode(fixCharacters(utf8::decode(text)));
    text = removeTerminalEscapes(text);
    text = removeControlChars(text);
    if (text == before) return text;
  }
}

}  // namespace

std::string ftfyFixText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  // fix_text works line by line; once a line contains '<' (likely HTML), it stops unescaping
  // entities for that line and every later one.
  bool unescapeHtml = true;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t newline = text.find('\n', pos);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    const std::string_view segment = text.substr(pos, end - pos);
    if (segment.find('<') != std::string_view::npos) unescapeHtml = false;
    out += fixSegment(std::string(segment), unescapeHtml);
    pos = end;
  }
  // ftfy's last step (normalization="NFC"); '\n' is a starter, so one pass over the whole
  // text equals ftfy's per-line normalisation.
  return normalizeNfc(out);
}

}  // namespace celerity
