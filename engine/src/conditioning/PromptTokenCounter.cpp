// celerity/PromptTokens.h over the engine's own tokenizer and chunker, so that the count the
// editor shows is the count the text encoder will see.
#include <exception>
#include <utility>

#include "celerity/PromptTokens.h"
#include "conditioning/A1111PromptParser.h"
#include "conditioning/PromptChunker.h"
#include "prompt/ExtraNetworks.h"
#include "prompt/MultiCond.h"
#include "prompt/PromptSchedule.h"
#include "text/ClipTokenizer.h"

namespace celerity {

struct PromptTokenCounter::Impl {
  explicit Impl(std::shared_ptr<const ClipTokenizer> tokenizer) : chunker(std::move(tokenizer)) {}
  PromptChunker chunker;
};

namespace {

// A chunk holds BOS, 75 prompt tokens padded with EOS, EOS: its prompt tokens are those
// before the padding.
int promptTokensIn(const PromptChunk& chunk, std::int64_t eos) {
  int end = PromptChunker::kChunkLength;  // index of the last prompt slot, 1-based
  while (end > 0 && chunk.tokens[static_cast<std::size_t>(end)] == eos) --end;
  return end;
}

// A1111 update_token_counter's texts: every scheduled text of every AND part; the whole
// prompt as one text where parsing fails.
std::vector<std::string> textsToCount(const std::string& prompt, int steps, bool positive) {
  try {
    std::string text = extractExtraNetworks(prompt).text;
    std::vector<std::string> flat{text};
    if (positive) flat = multiCondPromptList({text}).flatPrompts;
    std::vector<std::string> texts;
    for (const auto& schedule : promptSchedules(flat, steps)) {
      for (const auto& scheduled : schedule) texts.push_back(scheduled.text);
    }
    if (!texts.empty()) return texts;
  } catch (const std::exception&) {
  }
  return {prompt};
}

}  // namespace

PromptTokenCounter::PromptTokenCounter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PromptTokenCounter::~PromptTokenCounter() = default;

std::shared_ptr<const PromptTokenCounter> PromptTokenCounter::load(const std::string& vocabularyPath) {
  auto impl = std::make_unique<Impl>(ClipTokenizer::load(vocabularyPath));
  return std::shared_ptr<const PromptTokenCounter>(new PromptTokenCounter(std::move(impl)));
}

std::shared_ptr<const PromptTokenCounter> PromptTokenCounter::loadDefault(const std::string& setting) {
  auto impl = std::make_unique<Impl>(ClipTokenizer::loadDefault(setting));
  return std::shared_ptr<const PromptTokenCounter>(new PromptTokenCounter(std::move(impl)));
}

PromptTokenCount PromptTokenCounter::count(const std::string& prompt, int steps, bool positive) const {
  PromptTokenCount best;
  bool first = true;
  for (const auto& text : textsToCount(prompt, steps < 1 ? 1 : steps, positive)) {
    PromptFragments fragments;
    try {
      fragments = parseA1111Prompt(text);
    } catch (const std::exception&) {
      fragments = {PromptFragment{text, 1.0}};  // e.g. "(a:0.5.1)": count it as plain text
    }
    const ChunkedPrompt chunked = impl_->chunker.chunk(fragments);
    if (!first && chunked.tokenCount <= best.tokenCount) continue;  // A1111 max(): first wins ties
    first = false;
    best.tokenCount = chunked.tokenCount;
    best.targetTokenCount = chunked.targetTokenCount;
    best.chunkTokens.clear();
    for (const auto& chunk : chunked.chunks) {
      best.chunkTokens.push_back(promptTokensIn(chunk, impl_->chunker.eosId()));
    }
  }
  return best;
}

}  // namespace celerity
