#pragma once
// Halves the resolution with a 3×3 stride-2 convolution (`op`), padding 1.
#include <cstdint>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/common/Layers.h"

namespace celerity {

struct DownsampleImpl : torch::nn::Module {
  DownsampleImpl(std::int64_t channels, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x) { return op->forward(x); }

  layers::Conv2d op{nullptr};
};
TORCH_MODULE(Downsample);

}  // namespace celerity
