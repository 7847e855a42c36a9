#include "models/vae/VaeEncoder.h"

namespace celerity {

VaeDownLevelImpl::VaeDownLevelImpl(std::int64_t inChannels, std::int64_t outChannels,
                                   std::int64_t blockCount, bool withAttention, bool withDownsample,
                                   const at::TensorOptions& options) {
  // Numeric child names ("block.0", "attn.1") are the checkpoint's ModuleList indices.
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
  if (withDownsample)
    downsample = register_module("downsample", VaeDownsample(outChannels, options));
}

at::Tensor VaeDownLevelImpl::forward(at::Tensor x) {
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    x = blocks[i](x);
    if (!attentions.empty()) x = attentions[i](x);
  }
  return downsample ? downsample(x) : x;
}

VaeEncoderImpl::VaeEncoderImpl(const VaeConfig& config, const at::TensorOptions& options) {
  convIn =
      register_module("conv_in", layers::Conv2d(config.inChannels, config.ch, 3, 1, 1, options));
  torch::nn::ModuleList down;
  std::int64_t channels = config.ch;
  for (std::int64_t level = 0; level < config.levels(); ++level) {
    const auto width = config.width(level);
    levels.emplace_back(channels, width, config.numResBlocks, config.hasAttention(level),
                        level + 1 < config.levels(), options);
    down->push_back(levels.back());
    channels = width;
  }
  register_module("down", down);
  mid = register_module("mid", VaeMidBlock(channels, options));
  normOut = register_module("norm_out",
                            layers::GroupNorm(kVaeNormGroups, channels, kVaeNormEps, options));
  convOut =
      register_module("conv_out", layers::Conv2d(channels, 2 * config.zChannels, 3, 1, 1, options));
}

at::Tensor VaeEncoderImpl::forward(const at::Tensor& image) {
  auto h = convIn(image);
  for (auto& level : levels) h = level(h);
  h = mid(h);
  h = normOut(h);
  return convOut(at::silu_(h));
}

}  // namespace celerity
