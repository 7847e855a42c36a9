#pragma once
// The building blocks of the AutoencoderKL encoder and decoder (ldm
// `diffusionmodules/model.py`): ResnetBlock, the single-head AttnBlock, Downsample, Upsample
// and the middle block. Kept together because each is a few lines; every submodule is
// registered under the checkpoint's own name.
#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

#include "models/common/Layers.h"

namespace celerity {

// ldm `Normalize`: GroupNorm with 32 groups and eps 1e-6 everywhere in the VAE.
constexpr std::int64_t kVaeNormGroups = 32;
constexpr double kVaeNormEps = 1e-6;

// x + conv2(swish(norm2(conv1(swish(norm1(x)))))), with a 1×1 `nin_shortcut` on x when the
// width changes.
struct VaeResnetBlockImpl : torch::nn::Module {
  VaeResnetBlockImpl(std::int64_t inChannels, std::int64_t outChannels,
                     const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);

  layers::GroupNorm norm1{nullptr}, norm2{nullptr};
  layers::Conv2d conv1{nullptr}, conv2{nullptr};
  layers::Conv2d ninShortcut{nullptr};  // only when inChannels != outChannels
};
TORCH_MODULE(VaeResnetBlock);

// Single-head self-attention over the H·W positions; q, k, v and proj_out are 1×1 convs.
struct VaeAttentionBlockImpl : torch::nn::Module {
  VaeAttentionBlockImpl(std::int64_t channels, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);

  layers::GroupNorm norm{nullptr};
  layers::Conv2d q{nullptr}, k{nullptr}, v{nullptr}, projOut{nullptr};
};
TORCH_MODULE(VaeAttentionBlock);

// Halves the resolution: zero pad right and bottom by one, then 3×3 stride 2 without padding.
struct VaeDownsampleImpl : torch::nn::Module {
  VaeDownsampleImpl(std::int64_t channels, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);

  layers::Conv2d conv{nullptr};
};
TORCH_MODULE(VaeDownsample);

// Doubles the resolution: nearest-neighbour 2×, then 3×3 conv.
struct VaeUpsampleImpl : torch::nn::Module {
  VaeUpsampleImpl(std::int64_t channels, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);

  layers::Conv2d conv{nullptr};
};
TORCH_MODULE(VaeUpsample);

// `mid`: block_1, attn_1, block_2 at the deepest width.
struct VaeMidBlockImpl : torch::nn::Module {
  VaeMidBlockImpl(std::int64_t channels, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);

  VaeResnetBlock block1{nullptr};
  VaeAttentionBlock attn1{nullptr};
  VaeResnetBlock block2{nullptr};
};
TORCH_MODULE(VaeMidBlock);

}  // namespace celerity
