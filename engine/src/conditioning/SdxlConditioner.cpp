#include "conditioning/SdxlConditioner.h"

#include <utility>

#include <c10/core/InferenceMode.h>

#include "celerity/Error.h"
#include "models/unet/SdxlConditioning.h"

namespace celerity {

SdxlConditioner::SdxlConditioner(std::shared_ptr<const ClipTokenizer> tokenizer,
                                 std::shared_ptr<ChunkTextEncoder> clipL,
                                 std::shared_ptr<ChunkTextEncoder> openClip,
                                 std::shared_ptr<EncodingCache> cache)
    : chunker_(std::move(tokenizer)), clipL_(std::move(clipL), cache), openClip_(std::move(openClip), cache) {}

Conditioning SdxlConditioner::encode(const std::vector<PromptFragments>& texts,
                                     const ConditioningOptions& options, bool textsEmpty) const {
  Conditioning result;
  // Both encoders share one vocabulary, so one chunking serves both (A1111 chunks twice
  // and gets the same chunks).
  result.prompts = chunker_.chunkAll(texts, options.commaPaddingBacktrack);
  result.tokenCount = PromptChunker::maxTokenCount(result.prompts);
  result.targetTokenCount = PromptChunker::targetTokenCount(result.tokenCount);

  c10::InferenceMode inference;
  const LayerSelection selection{options.clipSkip, options.sdxlClipLSkip};
  const auto empty = chunker_.emptyChunk();
  auto first = clipL_.encode(result.prompts, empty, selection, options.emphasis);
  auto second = openClip_.encode(result.prompts, empty, selection, options.emphasis);
  if (!second.pooled.defined()) {
    throw CelerityError(ErrorCode::InvalidArgument, "SDXL's second text encoder gives no pooled vector",
                        openClip().identity());
  }

  result.context = at::cat({first.context, second.context.to(first.context.scalar_type())}, 2);
  result.pooled = second.pooled;
  result.tokens = std::move(first.tokens);
  result.openClipTokens = std::move(second.tokens);
  result.multipliers = std::move(first.multipliers);

  if (options.negative && textsEmpty && options.sdxlEmptyNegative == SdxlEmptyNegative::Zero) {
    // sgm force_zero_embeddings=['txt']: every output of the text embedders becomes 0.
    result.context = at::zeros_like(result.context);
    result.pooled = at::zeros_like(result.pooled);
    result.zeroed = true;
  }

  const auto& size = options.sdxlSize;
  result.sizeIds = sdxlSizeIds(size.originalHeight, size.originalWidth, size.cropTop, size.cropLeft,
                               size.targetHeight, size.targetWidth, result.context.size(0));
  result.y = sdxlVectorCondition(result.pooled, result.sizeIds);
  return result;
}

}  // namespace celerity
