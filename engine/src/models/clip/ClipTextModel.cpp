#include "models/clip/ClipTextModel.h"

#include <memory>

#include <c10/core/InferenceMode.h>
#include <torch/nn/modules/container/modulelist.h>

#include "celerity/Error.h"
#include "models/common/Attention.h"

namespace celerity {

ClipTextModelImpl::ClipTextModelImpl(const ClipTextConfig& config, const at::TensorOptions& options)
    : config_(config) {
  auto embeddings = register_module("embeddings", std::make_shared<torch::nn::Module>());
  tokenEmbedding_ = embeddings->register_module(
      "token_embedding", layers::Embedding(config.vocab, config.width, options));
  positionEmbedding_ = embeddings->register_module(
      "position_embedding", layers::Embedding(config.context, config.width, options));

  auto encoder = register_module("encoder", std::make_shared<torch::nn::Module>());
  torch::nn::ModuleList list;
  for (std::int64_t i = 0; i < config.layers; ++i) {
    layers_.emplace_back(config, options);
    list->push_back(layers_.back());
  }
  encoder->register_module("layers", list);

  finalLayerNorm_ = register_module(
      "final_layer_norm", layers::LayerNorm(config.width, config.layerNormEps, options));
}

ClipTextOutput ClipTextModelImpl::forward(const at::Tensor& tokens) {
  c10::InferenceMode inference;
  const auto& weight = tokenEmbedding_->weight;
  const auto ids = clipTokenIds(tokens, config_.context, weight.device());
  const auto length = ids.size(1);

  ClipTextOutput output;
  const auto positions = at::arange(length, ids.options());
  auto x = tokenEmbedding_(ids) + positionEmbedding_(positions);
  output.hiddenStates.reserve(layers_.size() + 1);
  output.hiddenStates.push_back(x);
  const auto mask = causalMask(length, x.options());
  for (auto& layer : layers_) {
    x = layer(x, mask);
    output.hiddenStates.push_back(x);
  }
  output.lastHidden = finalLayerNorm_(x);
  output.poolingIndex = clipPoolingIndex(ids);
  const auto rows = at::arange(ids.size(0), ids.options());
  output.pooled = output.lastHidden.index({rows, output.poolingIndex});
  return output;
}

at::Tensor ClipTextModelImpl::hiddenForClipSkip(const ClipTextOutput& output, int clipSkip) {
  const auto layerCount = static_cast<int>(output.hiddenStates.size()) - 1;
  if (clipSkip < 1 || clipSkip > layerCount) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "CLIP skip " + std::to_string(clipSkip) + " is outside 1.." +
                            std::to_string(layerCount),
                        "clip_skip");
  }
  if (clipSkip == 1) return output.lastHidden;
  c10::InferenceMode inference;
  return finalLayerNorm_(output.hiddenStates[layerCount - clipSkip + 1]);
}

}  // namespace celerity
