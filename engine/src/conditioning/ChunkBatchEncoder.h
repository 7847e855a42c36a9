#pragma once
// A1111's `forward` + `process_tokens` for one encoder: the texts' chunks go through the
// encoder chunk index by chunk index as [B, 77] batches (a text with fewer chunks gets
// `emptyChunk`s), each batch gets its emphasis, and the chunks are concatenated on the token
// axis → [B, 77·N, C]. Rows already encoded come from the cache; the others run through the
// encoder together, once per distinct row.
#include <memory>
#include <vector>

#include <ATen/ATen.h>

#include "conditioning/ChunkTextEncoder.h"
#include "conditioning/ConditioningTypes.h"

namespace celerity {

class EncodingCache;

struct EncodedChunks {
  at::Tensor context;      // [B, 77·N, C] after emphasis
  at::Tensor pooled;       // [B, P] of the first chunk (raw); undefined without one
  at::Tensor tokens;       // [B, N, 77] int64 as fed to the encoder (after padId)
  at::Tensor multipliers;  // [B, N, 77] float32, as A1111 converts them
};

class ChunkBatchEncoder {
 public:
  // `cache` may be null (no caching).
  ChunkBatchEncoder(std::shared_ptr<ChunkTextEncoder> encoder, std::shared_ptr<EncodingCache> cache);

  EncodedChunks encode(const std::vector<ChunkedPrompt>& prompts, const PromptChunk& emptyChunk,
                       const LayerSelection& selection, EmphasisMode emphasis) const;

  ChunkTextEncoder& encoder() const { return *encoder_; }

  // A1111 process_tokens for id_pad ≠ id_end: everything after the first `eos` becomes `pad`.
  static std::vector<std::int64_t> padAfterFirstEos(std::vector<std::int64_t> row, std::int64_t eos,
                                                    std::int64_t pad);

 private:
  // Raw encoder output for each row of one chunk batch, via the cache.
  EncoderOutput encodeRows(const std::vector<std::vector<std::int64_t>>& rows,
                           const LayerSelection& selection) const;

  std::shared_ptr<ChunkTextEncoder> encoder_;
  std::shared_ptr<EncodingCache> cache_;
};

}  // namespace celerity
