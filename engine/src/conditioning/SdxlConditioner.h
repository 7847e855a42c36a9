#pragma once
// SDXL text conditioning as A1111 makes it (sgm GeneralConditioner over the hijacked
// FrozenCLIPEmbedderForSDXLWithCustomWords and FrozenOpenCLIPEmbedder2WithCustomWords):
// the same chunks go through both encoders, CLIP-L padded with EOS and OpenCLIP with 0 after
// the first EOS; each encoder's output gets its own emphasis; the two are concatenated on the
// feature axis per token → context [B, 77·N, 768 + 1280]. pooled = OpenCLIP's pooled vector
// of the first chunk; y = pooled ++ the six size embeddings. An empty negative prompt
// becomes zeros (context and pooled; the size embeddings stay), as A1111 and sgm do.
#include <memory>
#include <vector>

#include "conditioning/ChunkBatchEncoder.h"
#include "conditioning/Conditioning.h"
#include "conditioning/PromptChunker.h"

namespace celerity {

class ClipTokenizer;
class EncodingCache;

class SdxlConditioner {
 public:
  // `clipL` is normally a ClipChunkEncoder with ClipChunkOutput::SdxlHidden, `openClip` an
  // OpenClipChunkEncoder; `cache` may be null.
  SdxlConditioner(std::shared_ptr<const ClipTokenizer> tokenizer, std::shared_ptr<ChunkTextEncoder> clipL,
                  std::shared_ptr<ChunkTextEncoder> openClip, std::shared_ptr<EncodingCache> cache);

  // `textsEmpty`: every text is the empty string (A1111 tests the raw prompt text).
  Conditioning encode(const std::vector<PromptFragments>& texts, const ConditioningOptions& options,
                      bool textsEmpty) const;

  const PromptChunker& chunker() const { return chunker_; }
  ChunkTextEncoder& clipL() const { return clipL_.encoder(); }
  ChunkTextEncoder& openClip() const { return openClip_.encoder(); }

 private:
  PromptChunker chunker_;
  ChunkBatchEncoder clipL_;
  ChunkBatchEncoder openClip_;
};

}  // namespace celerity
