#include "conditioning/PromptChunker.h"

#include <algorithm>
#include <utility>

#include "celerity/Error.h"
#include "text/ClipTokenizer.h"

namespace celerity {

namespace {

// The chunk being filled and the bookkeeping A1111 keeps beside it.
class ChunkBuilder {
 public:
  ChunkBuilder(std::int64_t bos, std::int64_t eos) : bos_(bos), eos_(eos) {}

  // A1111 next_chunk(): pad with EOS to 75, wrap with BOS/EOS (multiplier 1), forget the
  // comma. A chunk closed before the end counts 75 tokens, the last one its real length.
  void close(bool isLast) {
    tokenCount_ += isLast ? static_cast<int>(current_.tokens.size()) : PromptChunker::kChunkLength;
    const auto fill = static_cast<std::size_t>(PromptChunker::kChunkLength);
    if (current_.tokens.size() < fill) {
      current_.multipliers.resize(fill, 1.0);
      current_.tokens.resize(fill, eos_);
    }
    current_.tokens.insert(current_.tokens.begin(), bos_);
    current_.tokens.push_back(eos_);
    current_.multipliers.insert(current_.multipliers.begin(), 1.0);
    current_.multipliers.push_back(1.0);
    lastComma_ = -1;
    chunks_.push_back(std::move(current_));
    current_ = PromptChunk{};
  }

  // One prompt token, with A1111's order of checks: note a comma; else, at a full chunk,
  // move the text after a near comma on; then close a full chunk; then append.
  void add(std::int64_t token, double weight, std::int64_t comma, int backtrack) {
    const int length = static_cast<int>(current_.tokens.size());
    if (token == comma) {
      lastComma_ = length;
    } else if (backtrack != 0 && length == PromptChunker::kChunkLength && lastComma_ != -1 &&
               length - lastComma_ <= backtrack) {
      const auto breakAt = static_cast<std::ptrdiff_t>(lastComma_ + 1);
      PromptChunk moved;
      moved.tokens.assign(current_.tokens.begin() + breakAt, current_.tokens.end());
      moved.multipliers.assign(current_.multipliers.begin() + breakAt, current_.multipliers.end());
      current_.tokens.resize(static_cast<std::size_t>(breakAt));
      current_.multipliers.resize(static_cast<std::size_t>(breakAt));
      close(false);
      current_ = std::move(moved);
    }
    if (static_cast<int>(current_.tokens.size()) == PromptChunker::kChunkLength) close(false);
    current_.tokens.push_back(token);
    current_.multipliers.push_back(weight);
  }

  ChunkedPrompt finish() {
    if (!current_.tokens.empty() || chunks_.empty()) close(true);
    ChunkedPrompt result;
    result.chunks = std::move(chunks_);
    result.tokenCount = tokenCount_;
    result.targetTokenCount = PromptChunker::targetTokenCount(tokenCount_);
    return result;
  }

 private:
  std::int64_t bos_, eos_;
  PromptChunk current_;
  std::vector<PromptChunk> chunks_;
  int tokenCount_ = 0;
  int lastComma_ = -1;
};

}  // namespace

PromptChunker::PromptChunker(std::shared_ptr<const ClipTokenizer> tokenizer)
    : tokenizer_(std::move(tokenizer)) {
  if (!tokenizer_) {
    throw CelerityError(ErrorCode::InvalidArgument, "a prompt chunker needs a tokenizer",
                        "PromptChunker");
  }
  bosId_ = tokenizer_->bosId();
  eosId_ = tokenizer_->eosId();
  commaId_ = tokenizer_->vocabulary().idOf(",</w>");
}

ChunkedPrompt PromptChunker::chunk(const PromptFragments& fragments, int commaPaddingBacktrack) const {
  if (commaPaddingBacktrack < 0) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "comma padding backtrack must not be negative (got " +
                            std::to_string(commaPaddingBacktrack) + ")",
                        "comma_padding_backtrack");
  }
  ChunkBuilder builder(bosId_, eosId_);
  for (const auto& fragment : fragments) {
    if (isBreak(fragment)) {
      builder.close(false);
      continue;
    }
    for (const int token : tokenizer_->encode(fragment.text)) {
      builder.add(token, fragment.weight, commaId_, commaPaddingBacktrack);
    }
  }
  return builder.finish();
}

std::vector<ChunkedPrompt> PromptChunker::chunkAll(const std::vector<PromptFragments>& texts,
                                                   int commaPaddingBacktrack) const {
  std::vector<ChunkedPrompt> prompts;
  prompts.reserve(texts.size());
  for (const auto& fragments : texts) prompts.push_back(chunk(fragments, commaPaddingBacktrack));
  return prompts;
}

int PromptChunker::maxTokenCount(const std::vector<ChunkedPrompt>& prompts) {
  int count = 0;
  for (const auto& prompt : prompts) count = std::max(count, prompt.tokenCount);
  return count;
}

PromptChunk PromptChunker::emptyChunk() const {
  PromptChunk chunk;
  chunk.tokens.assign(kChunkTokens, eosId_);
  chunk.tokens.front() = bosId_;
  chunk.multipliers.assign(kChunkTokens, 1.0);
  return chunk;
}

int PromptChunker::targetTokenCount(int tokenCount) {
  const int count = tokenCount < 1 ? 1 : tokenCount;
  return (count + kChunkLength - 1) / kChunkLength * kChunkLength;
}

}  // namespace celerity
