#pragma once
// The AutoencoderKL decoder (`decoder.*`): z [B, z, h, w] -> image [B, out, h·f, w·f].
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

// `decoder.up.L`: numResBlocks + 1 ResnetBlocks (each followed by attention where the level
// has it), then an Upsample on every level but level 0.
struct VaeUpLevelImpl : torch::nn::Module {
  VaeUpLevelImpl(std::int64_t inChannels, std::int64_t outChannels, std::int64_t blocks,
                 bool withAttention, bool withUpsample, const at::TensorOptions& options);
  at::Tensor forward(at::Tensor x);

  std::vector<VaeResnetBlock> blocks;
  std::vector<VaeAttentionBlock> attentions;  // empty, or one per block
  VaeUpsample upsample{nullptr};
};
TORCH_MODULE(VaeUpLevel);

struct VaeDecoderImpl : torch::nn::Module {
  VaeDecoderImpl(const VaeConfig& config, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& z);

  layers::Conv2d convIn{nullptr};
  VaeMidBlock mid{nullptr};
  // Indexed by level as in the checkpoint: levels[0] is the full resolution and runs last.
  std::vector<VaeUpLevel> levels;
  layers::GroupNorm normOut{nullptr};
  layers::Conv2d convOut{nullptr};
};
TORCH_MODULE(VaeDecoder);

}  // namespace celerity
