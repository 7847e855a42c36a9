#include "models/clip/ClipEncoderLayer.h"

#include <memory>

#include "models/common/Attention.h"

namespace celerity {

ClipEncoderLayerImpl::ClipEncoderLayerImpl(const ClipTextConfig& config,
                                           const at::TensorOptions& options)
    : heads_(config.heads), activation_(config.activation) {
  const auto width = config.width;
  layerNorm1_ = register_module("layer_norm1", layers::LayerNorm(width, config.layerNormEps, options));
  // `self_attn` and `mlp` hold parameters only through their children: plain containers.
  auto selfAttn = register_module("self_attn", std::make_shared<torch::nn::Module>());
  qProj_ = selfAttn->register_module("q_proj", layers::Linear(width, width, true, options));
  kProj_ = selfAttn->register_module("k_proj", layers::Linear(width, width, true, options));
  vProj_ = selfAttn->register_module("v_proj", layers::Linear(width, width, true, options));
  outProj_ = selfAttn->register_module("out_proj", layers::Linear(width, width, true, options));
  layerNorm2_ = register_module("layer_norm2", layers::LayerNorm(width, config.layerNormEps, options));
  auto mlp = register_module("mlp", std::make_shared<torch::nn::Module>());
  fc1_ = mlp->register_module("fc1", layers::Linear(width, config.mlpWidth, true, options));
  fc2_ = mlp->register_module("fc2", layers::Linear(config.mlpWidth, width, true, options));
}

at::Tensor ClipEncoderLayerImpl::forward(const at::Tensor& x, const at::Tensor& mask) {
  const auto h = layerNorm1_(x);
  auto out = x + outProj_(multiHeadAttention(qProj_(h), kProj_(h), vProj_(h), heads_, mask));
  return out + fc2_(applyActivation(activation_, fc1_(layerNorm2_(out))));
}

}  // namespace celerity
