#pragma once
// Case conversion as Python's str.lower() does it, which the reference tokenizer applies to
// the cleaned text. The per-letter mappings come from PCRE2's Unicode data (its \L
// substitution); the few places where Python's full lower-casing differs from that are
// handled explicitly in the .cpp.
#include <string>
#include <string_view>

namespace celerity {

// `text` must be valid UTF-8.
std::string toLowerLikePython(std::string_view text);

// Upper case for the short values of the HTML entity table (ß becomes "SS" as in Python).
std::string toUpperLikePython(std::string_view text);

}  // namespace celerity
