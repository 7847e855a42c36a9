#pragma once
// One text encoder as A1111's chunk loop sees it (`encode_with_transformers`): token rows
// [B, 77] in, the hidden states the model uses as conditioning out, plus a pooled vector
// where the encoder has one. Subclasses pick the layer (CLIP skip, SDXL penultimate) and the
// padding after the first end-of-text token. Every call is counted, so that callers and
// tests can see when a cache spared the model.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <ATen/ATen.h>

namespace celerity {

// The options that choose which layer becomes the conditioning.
struct LayerSelection {
  int clipSkip = 1;            // A1111 CLIP_stop_at_last_layers
  bool sdxlClipLSkip = false;  // A1111 sdxl_clip_l_skip: SDXL CLIP-L follows clipSkip too
};

struct EncoderOutput {
  at::Tensor hidden;  // [B, T, C]
  at::Tensor pooled;  // [B, P], undefined when the encoder has none
};

class ChunkTextEncoder {
 public:
  // `identity` names the loaded weights (e.g. checkpoint hash + role); it keys the cache,
  // so it must change when the weights do.
  explicit ChunkTextEncoder(std::string identity);
  virtual ~ChunkTextEncoder() = default;
  ChunkTextEncoder(const ChunkTextEncoder&) = delete;
  ChunkTextEncoder& operator=(const ChunkTextEncoder&) = delete;

  const std::string& identity() const { return identity_; }
  // When the weights change in place (a LoRA merged into the text encoder).
  void setIdentity(std::string identity) { identity_ = std::move(identity); }

  // Token that replaces everything after a row's first end-of-text token before encoding
  // (A1111 id_pad ≠ id_end: OpenCLIP pads with 0); nullopt keeps the EOS padding.
  virtual std::optional<std::int64_t> padId() const { return std::nullopt; }
  // A number that tells apart the outputs `selection` can produce (cache key part); an
  // encoder that ignores the selection returns the same value for all.
  virtual int outputVariant(const LayerSelection& selection) const = 0;
  virtual std::int64_t width() const = 0;

  // tokens [B, T] int64 (already padded as padId() says). Runs under c10::InferenceMode.
  EncoderOutput encode(const at::Tensor& tokens, const LayerSelection& selection);

  std::int64_t encodeCalls() const { return calls_.load(); }
  std::int64_t encodedRows() const { return rows_.load(); }

 protected:
  virtual EncoderOutput run(const at::Tensor& tokens, const LayerSelection& selection) = 0;

 private:
  std::string identity_;
  std::atomic<std::int64_t> calls_{0};
  std::atomic<std::int64_t> rows_{0};
};

}  // namespace celerity
