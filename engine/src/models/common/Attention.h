#pragma once
// Multi-head scaled dot-product attention on [batch, tokens, heads * headDim] tensors.
#include <cstdint>

#include <ATen/ATen.h>

namespace celerity {

// softmax(q kᵀ / sqrt(headDim) + mask) v, per head. `mask` (optional) is additive and
// broadcasts to [batch, heads, queries, keys]. Uses the fused kernel where LibTorch has one.
at::Tensor multiHeadAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                              std::int64_t heads, const at::Tensor& mask = {});

// Additive causal mask [tokens, tokens]: 0 on and below the diagonal, -inf above.
at::Tensor causalMask(std::int64_t tokens, const at::TensorOptions& options);

}  // namespace celerity
