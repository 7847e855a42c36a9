#pragma once
// Doubles the resolution (nearest neighbour), then a 3×3 convolution (`conv`).
#include <cstdint>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/common/Layers.h"

namespace celerity {

struct UpsampleImpl : torch::nn::Module {
  UpsampleImpl(std::int64_t channels, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);

  layers::Conv2d conv{nullptr};
};
TORCH_MODULE(Upsample);

}  // namespace celerity
