#pragma once
// One pre-LayerNorm block of the CLIP text transformer in the Hugging Face layout:
// x + out_proj(attn(layer_norm1(x))), then x + fc2(act(fc1(layer_norm2(x)))).
// Submodules carry the checkpoint names (`self_attn.q_proj`, `mlp.fc1`, ...).
#include <cstdint>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/clip/ClipTextConfig.h"
#include "models/common/Layers.h"

namespace celerity {

struct ClipEncoderLayerImpl : torch::nn::Module {
  ClipEncoderLayerImpl(const ClipTextConfig& config, const at::TensorOptions& options);

  // x [B, N, W]; mask additive [N, N] (causal).
  at::Tensor forward(const at::Tensor& x, const at::Tensor& mask);

 private:
  std::int64_t heads_;
  ClipActivation activation_;
  layers::LayerNorm layerNorm1_{nullptr}, layerNorm2_{nullptr};
  layers::Linear qProj_{nullptr}, kProj_{nullptr}, vProj_{nullptr}, outProj_{nullptr};
  layers::Linear fc1_{nullptr}, fc2_{nullptr};
};
TORCH_MODULE(ClipEncoderLayer);

}  // namespace celerity
