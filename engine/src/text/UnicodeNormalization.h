#pragma once
// Unicode normalisation through ICU, where the build has it (CELERITY_WITH_ICU).
#include <string>
#include <string_view>

namespace celerity {

// NFC of valid UTF-8 text. Without ICU the text is returned unchanged (typed prompts are
// already NFC; decomposed accents, as some macOS tools write them, then tokenize apart).
std::string normalizeNfc(std::string_view utf8);
bool hasUnicodeNormalization();

}  // namespace celerity
