#pragma once
// Multi-head scaled dot-product attention on [batch, tokens, heads * headDim] tensors.
#include <cstdint>

#include <ATen/ATen.h>

namespace celerity {

// Which attention implementation runs (the `attn.sdpa` toggle). Set per thread by the engine
// for the duration of a job, like LibTorch's own backend flags.
enum class AttentionKernel {
  Fused = 0,  // at::scaled_dot_product_attention (LibTorch ≥ 2; elsewhere falls back to Chunked)
  Chunked,    // softmax(q kᵀ / √d) v over query chunks that bound the score matrix's memory
};

AttentionKernel currentAttentionKernel();

class AttentionKernelScope {
 public:
  explicit AttentionKernelScope(AttentionKernel kernel);
  ~AttentionKernelScope();
  AttentionKernelScope(const AttentionKernelScope&) = delete;
  AttentionKernelScope& operator=(const AttentionKernelScope&) = delete;

 private:
  AttentionKernel previous_;
};

// softmax(q kᵀ / sqrt(headDim) + mask) v, per head. `mask` (optional) is additive and
// broadcasts to [batch, heads, queries, keys].
at::Tensor multiHeadAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                              std::int64_t heads, const at::Tensor& mask = {});

// The chunked kernel on [B, H, N, D] heads: queries in chunks so that one chunk's scores
// take at most `maxScoreBytes` (SD 1.5 at 512² has 4096 tokens: unchunked, one batch row's
// scores need 512 MiB in fp32).
at::Tensor chunkedAttention(const at::Tensor& qh, const at::Tensor& kh, const at::Tensor& vh,
                            const at::Tensor& mask, std::int64_t maxScoreBytes = std::int64_t{256} << 20);

// Additive causal mask [tokens, tokens]: 0 on and below the diagonal, -inf above.
at::Tensor causalMask(std::int64_t tokens, const at::TensorOptions& options);

}  // namespace celerity
