#pragma once
// The few Python behaviours that A1111's infotext depends on, byte for byte: `str()` of its
// values (int, float repr, bool), `quote`/`unquote` (JSON strings), `int()`/`float()` of
// text, and the insertion-ordered dict that collects the parameters. Text is UTF-8.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "metadata/PythonUnicode.h"

namespace celerity::pyfmt {

// A Python value as A1111 keeps it in infotext dicts: None, str, int, bool or float.
using PyValue = std::variant<std::monostate, std::string, long long, bool, double>;

inline bool isNone(const PyValue& v) { return std::holds_alternative<std::monostate>(v); }
inline bool isString(const PyValue& v) { return std::holds_alternative<std::string>(v); }

// Python `repr(float)` (= `str(float)`): shortest round-trip digits, exponent form below 1e-4
// and from 1e16 on ("1e-05", "0.0001", "1e+16"), "7.0" for integral values.
std::string reprFloat(double value);

// Python `str(value)`: "7", "7.0", "True", text as is, "None".
std::string str(const PyValue& value);

// Python type name of the value, for messages ("str", "int", "float", "bool", "NoneType").
const char* typeName(const PyValue& value);

// A1111 `infotext_utils.quote`: JSON-encodes (ensure_ascii=False) text holding `,` `\n` or
// `:`; other text and all non-strings pass through unchanged.
std::string quote(const std::string& text);
PyValue quote(const PyValue& value);

// `json.dumps(text, ensure_ascii=False)` for a str.
std::string jsonEncodeString(const std::string& text);

// `json.loads(text)` for a JSON string literal; nullopt when Python would raise.
std::optional<std::string> jsonDecodeString(const std::string& text);

// A1111 `infotext_utils.unquote`: the decoded JSON string when `text` is one, else `text`.
std::string unquote(const std::string& text);

// Python `int(text)` for a str: optional whitespace and sign, digits with single `_` between
// them; nullopt when Python would raise (or the value leaves the 64-bit range).
std::optional<long long> parseInt(const std::string& text);

// Python `float(text)` for the usual decimal spellings; nullopt when it would raise.
std::optional<double> parseFloat(const std::string& text);

// Python `int(value)` / `float(value)` of any PyValue; nullopt when it would raise.
std::optional<long long> toInt(const PyValue& value);
std::optional<double> toFloat(const PyValue& value);

// --- Insertion-ordered dict -----------------------------------------------------------------

// Python dict semantics for string keys: setting an existing key keeps its position.
class PyDict {
 public:
  using Item = std::pair<std::string, PyValue>;

  void set(const std::string& key, PyValue value);
  bool contains(const std::string& key) const { return find(key) != nullptr; }
  const PyValue* find(const std::string& key) const;
  // The value, or `fallback` when the key is missing (`dict.get`).
  PyValue get(const std::string& key, PyValue fallback = {}) const;
  bool erase(const std::string& key);

  const std::vector<Item>& items() const { return items_; }
  std::vector<std::string> keys() const;
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Item> items_;
};

}  // namespace celerity::pyfmt
