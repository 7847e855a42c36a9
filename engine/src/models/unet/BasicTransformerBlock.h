#pragma once
// One transformer block of a SpatialTransformer (pre-norm, residual around each part):
//   x += attn1(norm1(x));  x += attn2(norm2(x), context);  x += ff(norm3(x))
#include <cstdint>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/common/Layers.h"
#include "models/unet/CrossAttention.h"
#include "models/unet/GegluFeedForward.h"

namespace celerity {

struct BasicTransformerBlockImpl : torch::nn::Module {
  // contextDim 0: attn2 attends to the block's own input (no text context).
  BasicTransformerBlockImpl(std::int64_t dim, std::int64_t heads, std::int64_t headDim,
                            std::int64_t contextDim, const at::TensorOptions& options);
  // x [B, N, dim], context [B, M, contextDim] → [B, N, dim]
  at::Tensor forward(const at::Tensor& x, const at::Tensor& context);

  layers::LayerNorm norm1{nullptr}, norm2{nullptr}, norm3{nullptr};
  CrossAttention attn1{nullptr}, attn2{nullptr};
  GegluFeedForward ff{nullptr};
};
TORCH_MODULE(BasicTransformerBlock);

}  // namespace celerity
