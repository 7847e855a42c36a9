#pragma once
// The UNet's residual block (openaimodel ResBlock, no scale-shift norm):
//   h = in_layers(x) + emb_layers(emb);  out = skip_connection(x) + out_layers(h)
// with in_layers = GroupNorm, SiLU, Conv3×3 and out_layers = GroupNorm, SiLU, Dropout, Conv3×3.
#include <cstdint>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/common/Layers.h"

namespace celerity {

struct ResBlockImpl : torch::nn::Module {
  ResBlockImpl(std::int64_t channels, std::int64_t outChannels, std::int64_t embedDim,
               const at::TensorOptions& options);
  // x [B, channels, H, W], emb [B, embedDim] → [B, outChannels, H, W]
  at::Tensor forward(const at::Tensor& x, const at::Tensor& emb);

  layers::GroupNorm inNorm{nullptr};
  layers::Conv2d inConv{nullptr};
  layers::Linear embProjection{nullptr};
  layers::GroupNorm outNorm{nullptr};
  layers::Conv2d outConv{nullptr};
  layers::Conv2d skip{nullptr};  // 1×1, only where the channel count changes
};
TORCH_MODULE(ResBlock);

}  // namespace celerity
