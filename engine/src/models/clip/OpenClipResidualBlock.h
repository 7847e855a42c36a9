#pragma once
// One block of open_clip's text transformer (`transformer.resblocks.N`):
// x + attn(ln_1(x)), then x + c_proj(act(c_fc(ln_2(x)))). The attention keeps
// nn.MultiheadAttention's fused `in_proj_weight` [3W, W] (rows q, k, v) and `out_proj`.
#include <cstdint>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/clip/OpenClipTextConfig.h"
#include "models/common/Layers.h"

namespace celerity {

struct OpenClipResidualBlockImpl : torch::nn::Module {
  OpenClipResidualBlockImpl(const OpenClipTextConfig& config, const at::TensorOptions& options);

  // x [B, N, W]; mask additive [N, N] (causal).
  at::Tensor forward(const at::Tensor& x, const at::Tensor& mask);

 private:
  std::int64_t heads_;
  ClipActivation activation_;
  layers::LayerNorm ln1_{nullptr}, ln2_{nullptr};
  at::Tensor inProjWeight_, inProjBias_;
  layers::Linear outProj_{nullptr}, cFc_{nullptr}, cProj_{nullptr};
};
TORCH_MODULE(OpenClipResidualBlock);

}  // namespace celerity
