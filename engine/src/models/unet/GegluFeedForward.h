#pragma once
// Feed-forward of the UNet's transformer blocks: ff.net.0 = GEGLU (one projection to twice
// the inner width; first half the value, second half the gate through exact GELU),
// ff.net.2 = projection back to the block width.
#include <cstdint>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/common/Layers.h"

namespace celerity {

struct GegluFeedForwardImpl : torch::nn::Module {
  GegluFeedForwardImpl(std::int64_t dim, std::int64_t innerDim, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);

  layers::Linear projection{nullptr};  // net.0.proj: dim → 2 · innerDim
  layers::Linear output{nullptr};      // net.2: innerDim → dim
};
TORCH_MODULE(GegluFeedForward);

}  // namespace celerity
