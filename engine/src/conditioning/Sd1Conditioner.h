#pragma once
// SD 1.x text conditioning as A1111 makes it (FrozenCLIPEmbedderWithCustomWords.forward):
// chunk every text, run the chunks through CLIP at the requested CLIP skip, apply the
// emphasis, concatenate → context [B, 77·N, 768].
#include <memory>
#include <vector>

#include "conditioning/ChunkBatchEncoder.h"
#include "conditioning/Conditioning.h"
#include "conditioning/PromptChunker.h"

namespace celerity {

class ClipTokenizer;
class EncodingCache;

class Sd1Conditioner {
 public:
  // `clip` is normally a ClipChunkEncoder with ClipChunkOutput::Sd1ClipSkip; `cache` may be
  // null.
  Sd1Conditioner(std::shared_ptr<const ClipTokenizer> tokenizer, std::shared_ptr<ChunkTextEncoder> clip,
                 std::shared_ptr<EncodingCache> cache);

  Conditioning encode(const std::vector<PromptFragments>& texts, const ConditioningOptions& options) const;

  const PromptChunker& chunker() const { return chunker_; }
  ChunkTextEncoder& encoder() const { return encoder_.encoder(); }

 private:
  PromptChunker chunker_;
  ChunkBatchEncoder encoder_;
};

}  // namespace celerity
