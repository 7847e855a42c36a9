#pragma once
// CLIP's text normalisation before pre-tokenisation, as in openai/CLIP simple_tokenizer:
// whitespace_clean(basic_clean(text)).lower(), where basic_clean is ftfy.fix_text, then
// html.unescape twice, then strip.
#include <string>
#include <string_view>

namespace celerity {

// Any bytes in; malformed UTF-8 is replaced with U+FFFD first. The result is valid UTF-8.
std::string cleanClipText(std::string_view text);

// Python's `re.sub(r"\s+", " ", text).strip()` on str: every run of Unicode white space
// (str.isspace(), which includes U+00A0 and U+0085) becomes one ASCII space.
std::string collapseWhitespace(std::string_view text);

}  // namespace celerity
