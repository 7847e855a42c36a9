#include "models/clip/OpenClipTextModel.h"

#include <memory>

#include <c10/core/InferenceMode.h>
#include <torch/nn/modules/container/modulelist.h>

#include "models/common/Attention.h"

namespace celerity {

OpenClipTextModelImpl::OpenClipTextModelImpl(const OpenClipTextConfig& config,
                                             const at::TensorOptions& options)
    : config_(config) {
  tokenEmbedding_ = register_module("token_embedding",
                                    layers::Embedding(config.vocab, config.width, options));
  positionalEmbedding_ =
      layers::addParameter(*this, "positional_embedding", {config.context, config.width}, options);

  auto transformer = register_module("transformer", std::make_shared<torch::nn::Module>());
  torch::nn::ModuleList list;
  for (std::int64_t i = 0; i < config.layers; ++i) {
    blocks_.emplace_back(config, options);
    list->push_back(blocks_.back());
  }
  transformer->register_module("resblocks", list);

  lnFinal_ = register_module("ln_final", layers::LayerNorm(config.width, config.layerNormEps, options));
  if (config.projectionDim > 0) {
    textProjection_ = layers::addParameter(*this, "text_projection",
                                           {config.width, config.projectionDim}, options);
  }
}

OpenClipTextOutput OpenClipTextModelImpl::forward(const at::Tensor& tokens) {
  c10::InferenceMode inference;
  const auto ids = clipTokenIds(tokens, config_.context, tokenEmbedding_->weight.device());
  const auto length = ids.size(1);

  OpenClipTextOutput output;
  auto x = tokenEmbedding_(ids) + positionalEmbedding_.slice(0, 0, length);
  output.hiddenStates.reserve(blocks_.size() + 1);
  output.hiddenStates.push_back(x);
  const auto mask = causalMask(length, x.options());
  for (auto& block : blocks_) {
    x = block(x, mask);
    output.hiddenStates.push_back(x);
  }
  output.penultimate = output.hiddenStates[output.hiddenStates.size() - 2];
  output.lastHidden = lnFinal_(x);
  output.poolingIndex = clipPoolingIndex(ids);
  const auto rows = at::arange(ids.size(0), ids.options());
  output.pooledUnprojected = output.lastHidden.index({rows, output.poolingIndex});
  if (textProjection_.defined()) output.pooled = output.pooledUnprojected.matmul(textProjection_);
  return output;
}

}  // namespace celerity
