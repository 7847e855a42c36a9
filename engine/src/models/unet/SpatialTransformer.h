#pragma once
// The UNet's attention stage: GroupNorm (eps 1e-6), proj_in, `depth` transformer blocks on the
// H·W tokens, proj_out, plus the input. proj_in / proj_out are 1×1 convolutions in SD 1.x and
// Linear layers in SDXL (`use_linear_in_transformer`); both act per token, only the order of
// the reshape differs.
#include <cstdint>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>

#include "models/common/Layers.h"
#include "models/unet/BasicTransformerBlock.h"

namespace celerity {

struct SpatialTransformerOptions {
  std::int64_t channels = 0;
  std::int64_t heads = 8;
  std::int64_t headDim = 0;
  std::int64_t depth = 1;
  std::int64_t contextDim = 0;  // 0: no text context
  bool linearProjection = false;
};

struct SpatialTransformerImpl : torch::nn::Module {
  SpatialTransformerImpl(const SpatialTransformerOptions& spec, const at::TensorOptions& options);
  // x [B, C, H, W], context [B, M, contextDim] → [B, C, H, W]
  at::Tensor forward(const at::Tensor& x, const at::Tensor& context);

  SpatialTransformerOptions spec;
  layers::GroupNorm norm{nullptr};
  layers::Conv2d convIn{nullptr}, convOut{nullptr};      // SD 1.x
  layers::Linear linearIn{nullptr}, linearOut{nullptr};  // SDXL
  std::vector<BasicTransformerBlock> blocks;
};
TORCH_MODULE(SpatialTransformer);

}  // namespace celerity
