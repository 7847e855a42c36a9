#include "metadata/PythonUnicode.h"

namespace celerity::pyfmt {

std::u32string decodeUtf8(const std::string& text) {
  std::u32string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    int length = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      length = 1;
      cp = c;
    } else if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      cp = c & 0x07;
    }
    bool valid = length > 0 && i + length <= text.size();
    for (int k = 1; valid && k < length; ++k) {
      const unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (valid &&
        ((length == 3 && cp < 0x800) || (length == 4 && (cp < 0x10000 || cp > 0x10FFFF)))) {
      valid = false;  // overlong or out of range
    }
    if (!valid) {
      out += static_cast<char32_t>(0xDC00 + c);  // surrogateescape
      ++i;
      continue;
    }
    out += cp;
    i += length;
  }
  return out;
}

void appendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp >= 0xDC80 && cp <= 0xDCFF) {
    out += static_cast<char>(cp - 0xDC00);  // a byte kept by surrogateescape
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string encodeUtf8(const std::u32string& text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : text) appendUtf8(out, cp);
  return out;
}

bool isSpace(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool isWordChar(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           cp == '_';
  }
  if (isSpace(cp)) return false;
  if (cp <= 0xBF) {  // C1 controls and Latin-1 punctuation/symbols, except its letters and numbers
    return cp == 0xAA || cp == 0xB2 || cp == 0xB3 || cp == 0xB5 || cp == 0xB9 || cp == 0xBA ||
           (cp >= 0xBC && cp <= 0xBE);
  }
  if (cp == 0xD7 || cp == 0xF7) return false;
  struct Range {
    char32_t first, last;
  };
  static const Range kNonWord[] = {
      {0x2010, 0x205E},    // general punctuation
      {0x20A0, 0x20CF},    // currency
      {0x2190, 0x245F},    // arrows, math operators, technical
      {0x2500, 0x2BFF},    // box drawing, shapes, symbols, dingbats
      {0x3001, 0x3004},    // CJK punctuation
      {0x3008, 0x3020},    //
      {0x3030, 0x3030},    //
      {0xD800, 0xF8FF},    // surrogates, private use
      {0xFE30, 0xFE4F},    // CJK compatibility forms
      {0xFF01, 0xFF0F},    // fullwidth punctuation
      {0xFF1A, 0xFF20},    //
      {0xFF3B, 0xFF40},    //
      {0xFF5B, 0xFF65},    //
      {0xFFF0, 0xFFFF},    // specials
      {0x1F000, 0x1FAFF},  // emoji and pictographs
  };
  for (const auto& range : kNonWord) {
    if (cp >= range.first && cp <= range.last) return false;
  }
  return true;
}

std::string strip(const std::string& text) {
  const std::u32string cps = decodeUtf8(text);
  std::size_t begin = 0;
  std::size_t end = cps.size();
  while (begin < end && isSpace(cps[begin])) ++begin;
  while (end > begin && isSpace(cps[end - 1])) --end;
  if (begin == 0 && end == cps.size()) return text;
  return encodeUtf8(cps.substr(begin, end - begin));
}

}  // namespace celerity::pyfmt
