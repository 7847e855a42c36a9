#pragma once
// UTF-8 helpers for the text pipeline. Python's `str` (the reference tokenizer's input) holds
// code points, so malformed bytes are replaced with U+FFFD up front, as
// `bytes.decode("utf-8", errors="replace")` does.
#include <cstddef>
#include <string>
#include <string_view>

namespace celerity::utf8 {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// Decodes one code point at `pos` and advances `pos` past it; a malformed sequence yields
// U+FFFD and advances over its maximal valid prefix (at least one byte).
char32_t next(std::string_view text, std::size_t& pos);

void append(std::string& out, char32_t codePoint);

std::u32string decode(std::string_view text);
std::string encode(std::u32string_view codePoints);

// Valid UTF-8: `text` unchanged where it already is, malformed sequences → U+FFFD.
std::string sanitize(std::string_view text);

}  // namespace celerity::utf8
