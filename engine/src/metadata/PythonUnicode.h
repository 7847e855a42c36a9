#pragma once
// Python's view of text where infotext parsing depends on it: code points rather than UTF-8
// bytes, `str.isspace()` / `str.strip()`, and the Unicode classes of `re` (`\s`, `\w`).

#include <string>

namespace celerity::pyfmt {

// Decodes UTF-8; an invalid byte becomes one code point U+DC80+byte (Python's
// "surrogateescape"), so that encoding back restores the bytes.
std::u32string decodeUtf8(const std::string& text);
std::string encodeUtf8(const std::u32string& text);
void appendUtf8(std::string& out, char32_t cp);

// `str.isspace()` = `re` `\s` for str patterns.
bool isSpace(char32_t cp);
// `re` `\w` for str patterns (alphanumeric or `_`). Without a Unicode database, non-ASCII
// code points count as word characters unless they are known spaces or punctuation.
bool isWordChar(char32_t cp);

// Python `str.strip()` (Unicode whitespace).
std::string strip(const std::string& text);

}  // namespace celerity::pyfmt
