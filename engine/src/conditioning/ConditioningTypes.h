#pragma once
// The value types shared by the conditioning stages: what a prompt parser hands over
// (weighted fragments, A1111 `parse_prompt_attention` output), the 77-token chunks
// A1111's `tokenize_line` makes of them, and the emphasis modes.
#include <cstdint>
#include <string>
#include <vector>

namespace celerity {

// One (text, weight) pair of A1111's parse. BREAK arrives as {"BREAK", -1}.
struct PromptFragment {
  std::string text;
  double weight = 1.0;
};
using PromptFragments = std::vector<PromptFragment>;

inline constexpr const char* kBreakText = "BREAK";
inline constexpr double kBreakWeight = -1.0;

// A1111 tests text and weight together: a literal "BREAK" of weight 1 is prompt text.
inline bool isBreak(const PromptFragment& fragment) {
  return fragment.weight == kBreakWeight && fragment.text == kBreakText;
}

// A1111's "Emphasis mode" option (modules/sd_emphasis.py).
enum class EmphasisMode {
  Original = 0,  // z·mult, then rescaled to the chunk's original mean (the default)
  NoNorm,        // z·mult only
  Ignore,        // weights parsed but not applied
  None,          // brackets are literal text: the whole prompt is one fragment of weight 1
};

// One chunk as fed to a text encoder: BOS + 75 tokens + EOS (77 ids) and the matching
// multipliers as A1111 keeps them (Python doubles; converted to float32 at encoding).
struct PromptChunk {
  std::vector<std::int64_t> tokens;
  std::vector<double> multipliers;
};

// `tokenize_line` of one text: its chunks and the token count the UI shows (75 per chunk
// closed before the end plus the length of the last one).
struct ChunkedPrompt {
  std::vector<PromptChunk> chunks;
  int tokenCount = 0;
  int targetTokenCount = 0;  // A1111 get_target_prompt_token_count(tokenCount)
};

}  // namespace celerity
