#include "metadata/PythonFormat.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace celerity::pyfmt {

std::string reprFloat(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";

  // Shortest round-trip digits (same choice as Python's dtoa mode 0), as d.ddde±x.
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  const std::string sci(buffer, result.ptr);
  const auto ePos = sci.find('e');
  std::string mantissa = sci.substr(0, ePos);
  const int exponent = std::atoi(sci.c_str() + ePos + 1);

  std::string sign;
  if (!mantissa.empty() && mantissa[0] == '-') {
    sign = "-";
    mantissa.erase(0, 1);
  }
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits += c;
  }
  const int decpt = exponent + 1;  // value = 0.digits × 10^decpt
  const int nDigits = static_cast<int>(digits.size());

  // Python's float_repr_style 'short': exponent form when decpt <= -4 or decpt > 16.
  if (decpt <= -4 || decpt > 16) {
    std::string out = sign + digits.substr(0, 1);
    if (nDigits > 1) out += "." + digits.substr(1);
    const int e = decpt - 1;
    char expText[16];
    std::snprintf(expText, sizeof expText, "e%c%02d", e < 0 ? '-' : '+', std::abs(e));
    return out + expText;
  }
  if (decpt <= 0) return sign + "0." + std::string(-decpt, '0') + digits;
  if (decpt >= nDigits) return sign + digits + std::string(decpt - nDigits, '0') + ".0";
  return sign + digits.substr(0, decpt) + "." + digits.substr(decpt);
}

std::string str(const PyValue& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "None"; }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(long long i) const { return std::to_string(i); }
    std::string operator()(bool b) const { return b ? "True" : "False"; }
    std::string operator()(double d) const { return reprFloat(d); }
  };
  return std::visit(Visitor{}, value);
}

const char* typeName(const PyValue& value) {
  static const char* const kNames[] = {"NoneType", "str", "int", "bool", "float"};
  return kNames[value.index()];
}

std::string jsonEncodeString(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", c);
          out += escape;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string quote(const std::string& text) {
  if (text.find_first_of(",\n:") == std::string::npos) return text;
  return jsonEncodeString(text);
}

PyValue quote(const PyValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return quote(*text);
  return value;  // str() of None, numbers and bools never holds `,` `\n` or `:`
}

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<char32_t> readHex4(const std::string& text, std::size_t pos) {
  if (pos + 4 > text.size()) return std::nullopt;
  char32_t cp = 0;
  for (std::size_t i = pos; i < pos + 4; ++i) {
    const int h = hexValue(text[i]);
    if (h < 0) return std::nullopt;
    cp = cp * 16 + static_cast<char32_t>(h);
  }
  return cp;
}

}  // namespace

std::optional<std::string> jsonDecodeString(const std::string& text) {
  // json.loads: optional surrounding whitespace, exactly one string, strict (no raw controls).
  std::size_t pos = 0;
  const auto jsonSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (pos < text.size() && jsonSpace(text[pos])) ++pos;
  if (pos >= text.size() || text[pos] != '"') return std::nullopt;
  ++pos;
  std::string out;
  while (true) {
    if (pos >= text.size()) return std::nullopt;  // unterminated
    const unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c == '"') {
      ++pos;
      break;
    }
    if (c < 0x20) return std::nullopt;  // strict mode refuses control characters
    if (c != '\\') {
      out += static_cast<char>(c);
      ++pos;
      continue;
    }
    if (pos + 1 >= text.size()) return std::nullopt;
    const char e = text[pos + 1];
    pos += 2;
    switch (e) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        auto cp = readHex4(text, pos);
        if (!cp) return std::nullopt;
        pos += 4;
        // A high surrogate followed by \uDC00-\uDFFF combines; lone surrogates stay (Python).
        if (*cp >= 0xD800 && *cp <= 0xDBFF && pos + 1 < text.size() && text[pos] == '\\' &&
            text[pos + 1] == 'u') {
          const auto low = readHex4(text, pos + 2);
          if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
            *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
            pos += 6;
          }
        }
        appendUtf8(out, *cp);
        break;
      }
      default:
        return std::nullopt;  // invalid escape
    }
  }
  while (pos < text.size() && jsonSpace(text[pos])) ++pos;
  if (pos != text.size()) return std::nullopt;  // "Extra data"
  return out;
}

std::string unquote(const std::string& text) {
  if (text.empty() || text.front() != '"' || text.back() != '"') return text;
  auto decoded = jsonDecodeString(text);
  return decoded ? *decoded : text;
}

std::optional<long long> parseInt(const std::string& input) {
  const std::string text = strip(input);
  std::size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) negative = text[pos++] == '-';
  if (pos >= text.size()) return std::nullopt;
  unsigned long long magnitude = 0;
  bool lastWasDigit = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '_') {
      if (!lastWasDigit || pos + 1 >= text.size()) return std::nullopt;
      lastWasDigit = false;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (magnitude > (std::numeric_limits<unsigned long long>::max() - 9) / 10) return std::nullopt;
    magnitude = magnitude * 10 + static_cast<unsigned>(c - '0');
    lastWasDigit = true;
  }
  if (!lastWasDigit) return std::nullopt;
  const auto limit = static_cast<unsigned long long>(std::numeric_limits<long long>::max());
  if (magnitude > limit + (negative ? 1 : 0)) return std::nullopt;
  if (negative)
    return magnitude == limit + 1 ? std::numeric_limits<long long>::min()
                                  : -static_cast<long long>(magnitude);
  return static_cast<long long>(magnitude);
}

std::optional<double> parseFloat(const std::string& input) {
  std::string text = strip(input);
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.erase(0, 1);
  }
  // Underscores are allowed between digits only.
  std::string cleaned;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_') {
      const bool between = i > 0 && i + 1 < text.size() &&
                           std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
                           std::isdigit(static_cast<unsigned char>(text[i + 1]));
      if (!between) return std::nullopt;
      continue;
    }
    cleaned += text[i];
  }
  if (cleaned.empty() || cleaned[0] == '+' || cleaned[0] == '-') return std::nullopt;
  if (cleaned.find('(') != std::string::npos) return std::nullopt;  // from_chars' "nan(...)"
  double value = 0;
  const auto result = std::from_chars(cleaned.data(), cleaned.data() + cleaned.size(), value);
  if (result.ec == std::errc::result_out_of_range) {
    // Python rounds overflow to inf and underflow to 0 instead of raising.
    value = std::strtod(cleaned.c_str(), nullptr);
  } else if (result.ec != std::errc() || result.ptr != cleaned.data() + cleaned.size()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

std::optional<long long> toInt(const PyValue& value) {
  if (const auto* i = std::get_if<long long>(&value)) return *i;
  if (const auto* b = std::get_if<bool>(&value)) return *b ? 1 : 0;
  if (const auto* s = std::get_if<std::string>(&value)) return parseInt(*s);
  if (const auto* d = std::get_if<double>(&value)) {
    if (!std::isfinite(*d) || std::fabs(*d) >= 9.2e18) return std::nullopt;
    return static_cast<long long>(std::trunc(*d));
  }
  return std::nullopt;
}

std::optional<double> toFloat(const PyValue& value) {
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* i = std::get_if<long long>(&value)) return static_cast<double>(*i);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? 1.0 : 0.0;
  if (const auto* s = std::get_if<std::string>(&value)) return parseFloat(*s);
  return std::nullopt;
}

// --- PyDict ----------------------------------------------------------------------------------

void PyDict::set(const std::string& key, PyValue value) {
  for (auto& item : items_) {
    if (item.first == key) {
      item.second = std::move(value);
      return;
    }
  }
  items_.emplace_back(key, std::move(value));
}

const PyValue* PyDict::find(const std::string& key) const {
  for (const auto& item : items_) {
    if (item.first == key) return &item.second;
  }
  return nullptr;
}

PyValue PyDict::get(const std::string& key, PyValue fallback) const {
  const PyValue* value = find(key);
  return value ? *value : fallback;
}

bool PyDict::erase(const std::string& key) {
  for (auto it = items_.begin(); it != items_.end(); ++it) {
    if (it->first == key) {
      items_.erase(it);
      return true;
    }
  }
  return false;
}

std::vector<std::string> PyDict::keys() const {
  std::vector<std::string> out;
  out.reserve(items_.size());
  for (const auto& item : items_) out.push_back(item.first);
  return out;
}

}  // namespace celerity::pyfmt
