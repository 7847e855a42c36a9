#pragma once
// What A1111's prompt code gets from Python for free: `re` character classes on `str`
// (Unicode `\s`, `\w`, `\d`), word boundaries, and `float()` of a string. The prompt syntax
// itself is ASCII, so the parsers work on UTF-8 bytes and decode a code point only where a
// class test needs one. A malformed byte is taken as one code point of no class.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace celerity::pytext {

// A code point that is in no class: what a malformed UTF-8 byte decodes to.
inline constexpr char32_t kInvalid = 0xFFFFFFFFu;

// The code point at `pos` and its length in bytes (1 for a malformed byte).
char32_t decodeAt(std::string_view text, std::size_t pos, std::size_t* length = nullptr);
// The code point that ends just before `pos` (kInvalid at the start of the text).
char32_t decodeBefore(std::string_view text, std::size_t pos);

bool isSpace(char32_t c);    // re `\s`
bool isWord(char32_t c);     // re `\w`
int digitValue(char32_t c);  // re `\d`: the digit's value, else -1

// The tables behind isWord / digitValue for code points ≥ 0x80.
bool isNonAsciiWord(char32_t c);
int nonAsciiDigitValue(char32_t c);

// The end of the run of `\s` that starts at `pos`.
std::size_t skipSpaces(std::string_view text, std::size_t pos);
// The start of the run of `\s` that ends at `end`, not before `floor`.
std::size_t spacesStartBefore(std::string_view text, std::size_t end, std::size_t floor = 0);

// `\b` at `pos` of `text`: a word character on exactly one side.
bool isWordBoundary(std::string_view text, std::size_t pos);

// Python float(text): surrounding `\s` ignored, Unicode digits accepted, sign, decimal point,
// exponent, inf / infinity / nan; nullopt where Python raises ValueError. (Underscores between
// digits, which Python also accepts, are not.)
std::optional<double> parseFloat(std::string_view text);
// Python int(text) for base 10: surrounding `\s`, sign, Unicode digits; nullopt on ValueError
// or when the value does not fit in a long long.
std::optional<long long> parseInt(std::string_view text);

// Python's repr() of a str as it appears in error messages: 'text'.
std::string quoted(std::string_view text);

}  // namespace celerity::pytext
