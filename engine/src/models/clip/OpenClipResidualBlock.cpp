#include "models/clip/OpenClipResidualBlock.h"

#include <memory>

#include "models/common/Attention.h"

namespace celerity {

OpenClipResidualBlockImpl::OpenClipResidualBlockImpl(const OpenClipTextConfig& config,
                                                     const at::TensorOptions& options)
    : heads_(config.heads), activation_(config.activation) {
  const auto width = config.width;
  ln1_ = register_module("ln_1", layers::LayerNorm(width, config.layerNormEps, options));
  auto attn = register_module("attn", std::make_shared<torch::nn::Module>());
  inProjWeight_ = layers::addParameter(*attn, "in_proj_weight", {3 * width, width}, options);
  inProjBias_ = layers::addParameter(*attn, "in_proj_bias", {3 * width}, options);
  outProj_ = attn->register_module("out_proj", layers::Linear(width, width, true, options));
  ln2_ = register_module("ln_2", layers::LayerNorm(width, config.layerNormEps, options));
  auto mlp = register_module("mlp", std::make_shared<torch::nn::Module>());
  cFc_ = mlp->register_module("c_fc", layers::Linear(width, config.mlpWidth, true, options));
  cProj_ = mlp->register_module("c_proj", layers::Linear(config.mlpWidth, width, true, options));
}

at::Tensor OpenClipResidualBlockImpl::forward(const at::Tensor& x, const at::Tensor& mask) {
  // One matmul for q, k and v; the output columns follow the weight's row order.
  const auto qkv = at::linear(ln1_(x), inProjWeight_, inProjBias_).chunk(3, -1);
  auto out = x + outProj_(multiHeadAttention(qkv[0], qkv[1], qkv[2], heads_, mask));
  return out + cProj_(applyActivation(activation_, cFc_(ln2_(out))));
}

}  // namespace celerity
