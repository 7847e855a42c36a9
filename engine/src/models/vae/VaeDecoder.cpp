#include "models/vae/VaeDecoder.h"

#include <algorithm>

namespace celerity {

VaeUpLevelImpl::VaeUpLevelImpl(std::int64_t inChannels, std::int64_t outChannels,
                               std::int64_t blockCount, bool withAttention, bool withUpsample,
                               const at::TensorOptions& options) {
  torch::nn::ModuleList blockList;
  torch::nn::ModuleList attentionList;
  for (std::int64_t i = 0; i < blockCount; ++i) {
    blocks.emplace_back(i == 0 ? inChannels : outChannels, outChannels, options);
    blockList->push_back(blocks.back());
    if (withAttention) {
      attentions.emplace_back(outChannels, options);
      attentionList->push_back(attentions.back());
    }
  }
  register_module("block", blockList);
  if (withAttention) register_module("attn", attentionList);
  if (withUpsample) upsample = register_module("upsample", VaeUpsample(outChannels, options));
}

at::Tensor VaeUpLevelImpl::forward(at::Tensor x) {
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    x = blocks[i](x);
    if (!attentions.empty()) x = attentions[i](x);
  }
  return upsample ? upsample(x) : x;
}

VaeDecoderImpl::VaeDecoderImpl(const VaeConfig& config, const at::TensorOptions& options) {
  const auto levelCount = config.levels();
  const auto deepest = config.width(levelCount - 1);
  convIn = register_module("conv_in", layers::Conv2d(config.zChannels, deepest, 3, 1, 1, options));
  mid = register_module("mid", VaeMidBlock(deepest, options));
  // Level L takes the width of level L + 1 (the deepest takes its own), so the levels are
  // built in checkpoint order from that rule rather than in the order they run.
  torch::nn::ModuleList up;
  for (std::int64_t level = 0; level < levelCount; ++level) {
    const auto inChannels = config.width(std::min(level + 1, levelCount - 1));
    levels.emplace_back(inChannels, config.width(level), config.numResBlocks + 1,
                        config.hasAttention(level), level > 0, options);
    up->push_back(levels.back());
  }
  register_module("up", up);
  normOut = register_module(
      "norm_out", layers::GroupNorm(kVaeNormGroups, config.width(0), kVaeNormEps, options));
  convOut = register_module("conv_out",
                            layers::Conv2d(config.width(0), config.outChannels, 3, 1, 1, options));
}

at::Tensor VaeDecoderImpl::forward(const at::Tensor& z) {
  auto h = mid(convIn(z));
  for (auto level = levels.rbegin(); level != levels.rend(); ++level) h = (*level)(h);
  h = normOut(h);
  return convOut(at::silu_(h));
}

}  // namespace celerity
