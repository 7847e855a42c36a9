#pragma once
// Multi-head attention of the UNet's transformer blocks: self-attention (attn1) when the
// context is the input itself, cross-attention on the text context (attn2) otherwise.
// to_q / to_k / to_v have no bias; to_out.0 has one.
#include <cstdint>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/common/Layers.h"

namespace celerity {

struct CrossAttentionImpl : torch::nn::Module {
  CrossAttentionImpl(std::int64_t queryDim, std::int64_t contextDim, std::int64_t heads,
                     std::int64_t headDim, const at::TensorOptions& options);
  // x [B, N, queryDim], context [B, M, contextDim] (undefined: attend to x) → [B, N, queryDim]
  at::Tensor forward(const at::Tensor& x, const at::Tensor& context = {});

  layers::Linear toQ{nullptr}, toK{nullptr}, toV{nullptr}, toOut{nullptr};
  std::int64_t heads;
};
TORCH_MODULE(CrossAttention);

}  // namespace celerity
