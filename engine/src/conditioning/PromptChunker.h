#pragma once
// A1111's `tokenize_line` (modules/sd_hijack_clip.py): weighted prompt fragments → chunks of
// 75 tokens with per-token multipliers, wrapped in BOS/EOS and padded with EOS. A BREAK
// fragment closes the current chunk; when a chunk is full, the text after a comma that lies
// at most `commaPaddingBacktrack` tokens back moves on to the next chunk.
#include <cstdint>
#include <memory>
#include <vector>

#include "conditioning/ConditioningTypes.h"

namespace celerity {

class ClipTokenizer;

class PromptChunker {
 public:
  static constexpr int kChunkLength = 75;                  // prompt tokens per chunk
  static constexpr int kChunkTokens = kChunkLength + 2;    // with BOS and EOS
  static constexpr int kDefaultCommaPaddingBacktrack = 20;  // A1111 option default

  // The comma token is the tokenizer's id of ",</w>" (A1111 reads it from the vocabulary).
  explicit PromptChunker(std::shared_ptr<const ClipTokenizer> tokenizer);

  // `commaPaddingBacktrack` 0 turns the comma back-tracking off.
  ChunkedPrompt chunk(const PromptFragments& fragments,
                      int commaPaddingBacktrack = kDefaultCommaPaddingBacktrack) const;

  // Every text on its own (A1111 process_texts).
  std::vector<ChunkedPrompt> chunkAll(const std::vector<PromptFragments>& texts,
                                      int commaPaddingBacktrack = kDefaultCommaPaddingBacktrack) const;
  // The longest text's token count, as process_texts reports it.
  static int maxTokenCount(const std::vector<ChunkedPrompt>& prompts);

  // BOS + 76 × EOS, multipliers 1: what pads the shorter texts of a batch.
  PromptChunk emptyChunk() const;

  // A1111 get_target_prompt_token_count: tokenCount rounded up to whole chunks (at least one).
  static int targetTokenCount(int tokenCount);

  std::int64_t bosId() const { return bosId_; }
  std::int64_t eosId() const { return eosId_; }
  std::int64_t commaId() const { return commaId_; }
  const ClipTokenizer& tokenizer() const { return *tokenizer_; }

 private:
  std::shared_ptr<const ClipTokenizer> tokenizer_;
  std::int64_t bosId_ = 0;
  std::int64_t eosId_ = 0;
  std::int64_t commaId_ = -1;
};

}  // namespace celerity
