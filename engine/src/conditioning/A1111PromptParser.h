#pragma once
// The bridge from the prompt language (engine/src/prompt) to the conditioning input:
// A1111's parse_prompt_attention as PromptFragments.
#include <string>

#include "conditioning/ConditioningTypes.h"

namespace celerity {

PromptFragments parseA1111Prompt(const std::string& text);

}  // namespace celerity
