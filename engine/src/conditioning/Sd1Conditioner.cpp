#include "conditioning/Sd1Conditioner.h"

#include <utility>

namespace celerity {

Sd1Conditioner::Sd1Conditioner(std::shared_ptr<const ClipTokenizer> tokenizer,
                               std::shared_ptr<ChunkTextEncoder> clip, std::shared_ptr<EncodingCache> cache)
    : chunker_(std::move(tokenizer)), encoder_(std::move(clip), std::move(cache)) {}

Conditioning Sd1Conditioner::encode(const std::vector<PromptFragments>& texts,
                                    const ConditioningOptions& options) const {
  Conditioning result;
  result.prompts = chunker_.chunkAll(texts, options.commaPaddingBacktrack);
  result.tokenCount = PromptChunker::maxTokenCount(result.prompts);
  result.targetTokenCount = PromptChunker::targetTokenCount(result.tokenCount);

  const LayerSelection selection{options.clipSkip, options.sdxlClipLSkip};
  auto encoded = encoder_.encode(result.prompts, chunker_.emptyChunk(), selection, options.emphasis);
  result.context = std::move(encoded.context);
  result.tokens = std::move(encoded.tokens);
  result.multipliers = std::move(encoded.multipliers);
  return result;
}

}  // namespace celerity
