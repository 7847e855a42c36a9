#pragma once
// ADetailer's tab prompts: "[SEP]" splits a tab prompt into one prompt per region (in region
// order; regions past the last prompt reuse it), an empty part becomes the main prompt,
// "[PROMPT]" is replaced by the main prompt, and a part that is only "[SKIP]" leaves its
// region as it is.
#include <string>
#include <vector>

namespace celerity {

// The prompts of one tab: at least one entry.
std::vector<std::string> splitTabPrompts(const std::string& tabPrompt, const std::string& mainPrompt);
// Region `index`'s prompt (the last one repeats).
const std::string& promptForRegion(const std::vector<std::string>& prompts, std::size_t index);
// True for "[SKIP]" with optional surrounding whitespace.
bool isSkipPrompt(const std::string& prompt);
// The `<lora:…>` / `<lyco:…>` tags of a region's prompt, in order, as one comparable text
// ("" for none): regions with different keys are inpainted with different weights.
std::string loraSetKey(const std::string& prompt);

}  // namespace celerity
