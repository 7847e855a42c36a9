#pragma once
// A1111's composable prompts (get_multicond_prompt_list): each prompt splits at the word AND
// into sub-prompts; a sub-prompt may end in ":weight". The sub-prompt texts are shared
// between prompts (by exact text, leading spaces kept, trailing ones dropped).
#include <cstddef>
#include <string>
#include <vector>

namespace celerity {

struct SubPromptRef {
  std::size_t index = 0;  // into MultiCondList::flatPrompts
  double weight = 1.0;
};

struct MultiCondList {
  std::vector<std::vector<SubPromptRef>> indexes;  // per prompt, in order
  std::vector<std::string> flatPrompts;            // each distinct sub-prompt once
};

MultiCondList multiCondPromptList(const std::vector<std::string>& prompts);

}  // namespace celerity
