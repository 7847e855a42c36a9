#include "prompt/PyText.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace celerity::pytext {
namespace {

bool isContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Appends the ASCII form of a float literal's characters: Unicode digits become 0–9; a
// character that cannot appear in a literal makes the whole text invalid.
bool toAsciiNumber(std::string_view text, std::string& out) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t length = 1;
    const char32_t c = decodeAt(text, pos, &length);
    pos += length;
    if (c < 0x80) {
      const char ch = static_cast<char>(c);
      const bool allowed = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
                           (ch >= 'A' && ch <= 'Z') || ch == '.' || ch == '+' || ch == '-';
      if (!allowed) return false;
      out.push_back(ch);
      continue;
    }
    const int digit = digitValue(c);
    if (digit < 0) return false;
    out.push_back(static_cast<char>('0' + digit));
  }
  return true;
}

std::string_view stripSpaces(std::string_view text) {
  std::size_t begin = skipSpaces(text, 0);
  std::size_t end = spacesStartBefore(text, text.size(), begin);
  return text.substr(begin, end - begin);
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

// Python's grammar for a finite float literal (after the sign): digits with an optional
// point, at least one digit, then an optional exponent with at least one digit.
bool isDecimalLiteral(std::string_view s) {
  std::size_t i = 0;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t expDigits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++expDigits;
    if (expDigits == 0) return false;
  }
  return i == s.size();
}

// For a literal out of double's range: true when it is too large (Python gives inf), false
// when too small (Python gives 0). Decided by the decimal exponent of its first nonzero digit.
bool overflows(std::string_view s) {
  const std::size_t e = s.find_first_of("eE");
  const std::string_view mantissa = s.substr(0, e);
  long long exponent = 0;
  if (e != std::string_view::npos) {
    std::size_t i = e + 1;
    const bool negative = i < s.size() && s[i] == '-';
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    for (; i < s.size() && exponent < 1000000000; ++i) exponent = exponent * 10 + (s[i] - '0');
    if (negative) exponent = -exponent;
  }
  const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
  long long magnitude = 0;
  for (std::size_t i = 0; i < mantissa.size(); ++i) {
    if (mantissa[i] < '1' || mantissa[i] > '9') continue;
    magnitude =
        i < point ? static_cast<long long>(point - 1 - i) : -static_cast<long long>(i - point);
    break;
  }
  return magnitude + exponent >= 0;
}

}  // namespace

char32_t decodeAt(std::string_view text, std::size_t pos, std::size_t* length) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t count = 0;
  char32_t c = 0;
  if (lead < 0x80) {
    if (length) *length = 1;
    return lead;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    count = 1, c = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    count = 2, c = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    count = 3, c = lead & 0x07;
  } else {
    if (length) *length = 1;
    return kInvalid;
  }
  if (pos + count >= text.size()) {
    if (length) *length = 1;
    return kInvalid;
  }
  for (std::size_t k = 1; k <= count; ++k) {
    const auto byte = static_cast<unsigned char>(text[pos + k]);
    if (!isContinuation(byte)) {
      if (length) *length = 1;
      return kInvalid;
    }
    c = (c << 6) | (byte & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are malformed.
  const bool overlong = (count == 2 && c < 0x800) || (count == 3 && c < 0x10000);
  if (overlong || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
    if (length) *length = 1;
    return kInvalid;
  }
  if (length) *length = count + 1;
  return c;
}

char32_t decodeBefore(std::string_view text, std::size_t pos) {
  if (pos == 0) return kInvalid;
  // Step back over at most three continuation bytes to a lead byte that spans exactly to pos.
  std::size_t start = pos - 1;
  while (start > 0 && pos - start < 4 && isContinuation(static_cast<unsigned char>(text[start])))
    --start;
  std::size_t length = 0;
  const char32_t c = decodeAt(text, start, &length);
  if (start + length == pos) return c;
  return kInvalid;  // a malformed byte just before pos
}

bool isSpace(char32_t c) {
  if (c < 0x80) return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool isWord(char32_t c) {
  if (c < 0x80) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  return c != kInvalid && isNonAsciiWord(c);
}

int digitValue(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') ? static_cast<int>(c - '0') : -1;
  return c == kInvalid ? -1 : nonAsciiDigitValue(c);
}

std::size_t skipSpaces(std::string_view text, std::size_t pos) {
  while (pos < text.size()) {
    std::size_t length = 1;
    if (!isSpace(decodeAt(text, pos, &length))) break;
    pos += length;
  }
  return pos;
}

std::size_t spacesStartBefore(std::string_view text, std::size_t end, std::size_t floor) {
  while (end > floor) {
    const char32_t c = decodeBefore(text, end);
    if (!isSpace(c)) break;
    std::size_t length = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (end - length < floor) break;
    end -= length;
  }
  return end;
}

bool isWordBoundary(std::string_view text, std::size_t pos) {
  const bool before = pos > 0 && isWord(decodeBefore(text, pos));
  const bool after = pos < text.size() && isWord(decodeAt(text, pos));
  return before != after;
}

std::optional<double> parseFloat(std::string_view text) {
  std::string ascii;
  if (!toAsciiNumber(stripSpaces(text), ascii)) return std::nullopt;
  std::string_view body = ascii;
  bool negative = false;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  double value = 0;
  if (equalsIgnoreCase(body, "inf") || equalsIgnoreCase(body, "infinity")) {
    value = std::numeric_limits<double>::infinity();
  } else if (equalsIgnoreCase(body, "nan")) {
    value = std::numeric_limits<double>::quiet_NaN();
  } else {
    if (!isDecimalLiteral(body)) return std::nullopt;
    // from_chars rounds correctly, as CPython's dtoa does; it also yields ±inf on overflow
    // and reports that as out of range, where Python returns inf.
    const auto result = std::from_chars(body.data(), body.data() + body.size(), value);
    if (result.ptr != body.data() + body.size()) return std::nullopt;
    if (result.ec == std::errc::result_out_of_range) {
      value = overflows(body) ? std::numeric_limits<double>::infinity() : 0.0;
    }
  }
  return negative ? -value : value;
}

std::optional<long long> parseInt(std::string_view text) {
  std::string ascii;
  if (!toAsciiNumber(stripSpaces(text), ascii)) return std::nullopt;
  std::string_view body = ascii;
  if (!body.empty() && body.front() == '+') body.remove_prefix(1);
  if (body.empty() || body.front() == '+') return std::nullopt;
  long long value = 0;
  const auto result = std::from_chars(body.data(), body.data() + body.size(), value);
  if (result.ec != std::errc() || result.ptr != body.data() + body.size()) return std::nullopt;
  return value;
}

std::string quoted(std::string_view text) {
  const bool hasSingle = text.find('\'') != std::string_view::npos;
  const bool hasDouble = text.find('"') != std::string_view::npos;
  const char quote = (hasSingle && !hasDouble) ? '"' : '\'';
  std::string out(1, quote);
  for (const char c : text) {
    if (c == '\\' || c == quote) out.push_back('\\');
    out.push_back(c);
  }
  out.push_back(quote);
  return out;
}

}  // namespace celerity::pytext
