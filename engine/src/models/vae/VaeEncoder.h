#pragma once
// The AutoencoderKL encoder (`encoder.*`): image [B, in, H, W] -> mean and logvar
// [B, 2·z, H/f, W/f] before quant_conv.
#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <vector>

#include "models/common/Layers.h"
#include "models/vae/VaeBlocks.h"
#include "models/vae/VaeConfig.h"

namespace celerity {

// `encoder.down.L`: numResBlocks ResnetBlocks (each followed by attention where the level
// has it), then a Downsample on every level but the last.
struct VaeDownLevelImpl : torch::nn::Module {
  VaeDownLevelImpl(std::int64_t inChannels, std::int64_t outChannels, std::int64_t blocks,
                   bool withAttention, bool withDownsample, const at::TensorOptions& options);
  at::Tensor forward(at::Tensor x);

  std::vector<VaeResnetBlock> blocks;
  std::vector<VaeAttentionBlock> attentions;  // empty, or one per block
  VaeDownsample downsample{nullptr};
};
TORCH_MODULE(VaeDownLevel);

struct VaeEncoderImpl : torch::nn::Module {
  VaeEncoderImpl(const VaeConfig& config, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& image);

  layers::Conv2d convIn{nullptr};
  std::vector<VaeDownLevel> levels;
  VaeMidBlock mid{nullptr};
  layers::GroupNorm normOut{nullptr};
  layers::Conv2d convOut{nullptr};
};
TORCH_MODULE(VaeEncoder);

}  // namespace celerity
