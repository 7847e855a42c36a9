#include "conditioning/A1111PromptParser.h"

#include "prompt/PromptAttention.h"

namespace celerity {

PromptFragments parseA1111Prompt(const std::string& text) {
  PromptFragments fragments;
  for (auto& piece : parseAttention(text)) {
    fragments.push_back(PromptFragment{std::move(piece.text), piece.weight});
  }
  return fragments;
}

}  // namespace celerity
