#pragma once
// The prompt editor's live token counter, as A1111's "12/75" (ui.update_token_counter):
// extra-network tags cut out, the positive prompt split at AND, prompt editing expanded for
// the step count, emphasis parsed, then CLIP-tokenized and cut into 75-token chunks. The
// longest text wins. Plain C++ (a pimpl over the engine's tokenizer): front ends need no torch.
#include <memory>
#include <string>
#include <vector>

namespace celerity {

struct PromptTokenCount {
  int tokenCount = 0;         // A1111's count: 75 per chunk closed early, plus the last's length
  int targetTokenCount = 75;  // tokenCount rounded up to whole chunks (at least one)
  // Prompt tokens in each chunk of that text (padding excluded); one entry per chunk.
  std::vector<int> chunkTokens;

  int chunkCount() const { return static_cast<int>(chunkTokens.size()); }
};

class PromptTokenCounter {
 public:
  static constexpr int kChunkLength = 75;

  // A CLIP vocabulary file or folder (see ClipVocabulary). Throws CelerityError
  // (FileNotFound / MalformedFile) naming the path.
  static std::shared_ptr<const PromptTokenCounter> load(const std::string& vocabularyPath);
  // The setting if not empty, else CELERITY_CLIP_VOCAB, else the compiled default; throws
  // FileNotFound listing every place tried.
  static std::shared_ptr<const PromptTokenCounter> loadDefault(const std::string& setting = {});

  ~PromptTokenCounter();
  PromptTokenCounter(const PromptTokenCounter&) = delete;
  PromptTokenCounter& operator=(const PromptTokenCounter&) = delete;

  // Never throws on prompt text: text A1111's parsers reject is counted as plain text, as
  // A1111 does. `positive` enables the AND split (A1111 counts the negative prompt whole).
  PromptTokenCount count(const std::string& prompt, int steps = 20, bool positive = true) const;

 private:
  struct Impl;
  explicit PromptTokenCounter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace celerity
