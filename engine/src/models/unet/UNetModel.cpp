#include "models/unet/UNetModel.h"

#include "celerity/Error.h"
#include "io/SafetensorsFile.h"
#include "io/ShapeMap.h"
#include "models/unet/ModuleGroup.h"
#include "models/unet/TimestepEmbedding.h"
#include "models/unet/UNetConstants.h"

namespace celerity {
namespace {

constexpr const char* kWhere = "UNetModel.forward";

SpatialTransformer makeTransformer(const UNetConfig& config, std::int64_t channels, std::int64_t depth,
                                   const at::TensorOptions& options) {
  SpatialTransformerOptions spec;
  spec.channels = channels;
  spec.heads = config.headCount(channels);
  spec.headDim = channels / spec.heads;
  spec.depth = depth;
  spec.contextDim = config.contextDim;
  spec.linearProjection = config.linearProjection;
  return SpatialTransformer(spec, options);
}

std::string shapeText(const at::Tensor& t) {
  std::string text = "[";
  for (std::int64_t i = 0; i < t.dim(); ++i) text += (i ? "," : "") + std::to_string(t.size(i));
  return text + "]";
}

}  // namespace

UNetModelImpl::UNetModelImpl(const UNetConfig& config, const at::TensorOptions& options) : config_(config) {
  const auto& c = config_;
  const auto levels = c.levels();
  if (levels == 0 || c.inputDepths.size() != static_cast<std::size_t>(levels * c.numResBlocks) ||
      c.outputDepths.size() != static_cast<std::size_t>(levels * (c.numResBlocks + 1))) {
    throw CelerityError(ErrorCode::InvalidArgument, "transformer depths do not match levels × ResBlocks",
                        "UNetConfig");
  }
  const auto ted = c.timeEmbedDim;
  auto timeEmbed = addModuleGroup(*this, "time_embed");
  timeEmbedIn_ = timeEmbed->register_module("0", layers::Linear(c.modelChannels, ted, true, options));
  timeEmbedOut_ = timeEmbed->register_module("2", layers::Linear(ted, ted, true, options));
  if (c.admInChannels > 0) {
    auto mlp = addModuleGroup(*addModuleGroup(*this, "label_emb"), "0");
    labelEmbedIn_ = mlp->register_module("0", layers::Linear(c.admInChannels, ted, true, options));
    labelEmbedOut_ = mlp->register_module("2", layers::Linear(ted, ted, true, options));
  }

  // Input side: remember each block's output width, the skip the output side concatenates.
  auto inputs = register_module("input_blocks", torch::nn::ModuleList());
  std::vector<std::int64_t> skipChannels;
  auto channels = c.modelChannels;
  auto addInput = [&](UNetBlock block) {
    inputs->push_back(block);
    inputBlocks_.push_back(block);
    skipChannels.push_back(channels);
  };
  UNetBlock stem;
  stem->append(layers::Conv2d(c.inChannels, channels, 3, 1, 1, options));
  addInput(stem);
  for (int level = 0; level < levels; ++level) {
    const auto levelChannels = c.levelChannels(level);
    for (std::int64_t i = 0; i < c.numResBlocks; ++i) {
      UNetBlock block;
      block->append(ResBlock(channels, levelChannels, ted, options));
      channels = levelChannels;
      const auto depth = c.inputDepths[static_cast<std::size_t>(level * c.numResBlocks + i)];
      if (depth > 0) block->append(makeTransformer(c, channels, depth, options));
      addInput(block);
    }
    if (level + 1 < levels) {
      UNetBlock block;
      block->append(Downsample(channels, options));
      addInput(block);
    }
  }

  middleBlock_ = register_module("middle_block", UNetBlock());
  middleBlock_->append(ResBlock(channels, channels, ted, options));
  middleBlock_->append(makeTransformer(c, channels, c.middleDepth, options));
  middleBlock_->append(ResBlock(channels, channels, ted, options));

  auto outputs = register_module("output_blocks", torch::nn::ModuleList());
  std::size_t outputIndex = 0;
  for (int level = levels - 1; level >= 0; --level) {
    const auto levelChannels = c.levelChannels(level);
    for (std::int64_t i = 0; i <= c.numResBlocks; ++i) {
      const auto skip = skipChannels.back();
      skipChannels.pop_back();
      UNetBlock block;
      block->append(ResBlock(channels + skip, levelChannels, ted, options));
      channels = levelChannels;
      const auto depth = c.outputDepths[outputIndex++];
      if (depth > 0) block->append(makeTransformer(c, channels, depth, options));
      if (level > 0 && i == c.numResBlocks) block->append(Upsample(channels, options));
      outputs->push_back(block);
      outputBlocks_.push_back(block);
    }
  }

  auto out = addModuleGroup(*this, "out");
  outNorm_ = out->register_module("0", layers::GroupNorm(kUNetNormGroups, channels, kResBlockNormEps, options));
  outConv_ = out->register_module("2", layers::Conv2d(channels, c.outChannels, 3, 1, 1, options));
}

void UNetModelImpl::checkInputs(const at::Tensor& x, const at::Tensor& context, const at::Tensor& y) const {
  const auto factor = std::int64_t{1} << (config_.levels() - 1);
  if (!x.defined() || x.dim() != 4 || x.size(1) != config_.inChannels || x.size(2) % factor != 0 ||
      x.size(3) % factor != 0) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "x must be [B, " + std::to_string(config_.inChannels) + ", H, W] with H, W multiples of " +
                            std::to_string(factor) + ", got " + (x.defined() ? shapeText(x) : "nothing"),
                        kWhere);
  }
  if (config_.contextDim > 0 &&
      (!context.defined() || context.dim() != 3 || context.size(2) != config_.contextDim ||
       (context.size(0) != x.size(0) && context.size(0) != 1))) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "context must be [B, T, " + std::to_string(config_.contextDim) + "], got " +
                            (context.defined() ? shapeText(context) : "nothing"),
                        kWhere);
  }
  if (config_.admInChannels > 0 &&
      (!y.defined() || y.dim() != 2 || y.size(0) != x.size(0) || y.size(1) != config_.admInChannels)) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "this UNet needs the vector condition y [B, " + std::to_string(config_.admInChannels) +
                            "], got " + (y.defined() ? shapeText(y) : "nothing"),
                        kWhere);
  }
  if (config_.admInChannels == 0 && y.defined()) {
    throw CelerityError(ErrorCode::InvalidArgument, "y was given to a UNet without label_emb", kWhere);
  }
}

at::Tensor UNetModelImpl::embedding(const at::Tensor& timesteps, const at::Tensor& y, std::int64_t batch,
                                    const at::TensorOptions& options) {
  auto t = timesteps.reshape({-1});
  if (t.size(0) == 1 && batch > 1) t = t.expand({batch});
  if (t.size(0) != batch) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "timesteps " + shapeText(timesteps) + " do not match batch " + std::to_string(batch), kWhere);
  }
  const auto tEmb = timestepEmbedding(t.to(options.device()), config_.modelChannels).to(options);
  auto emb = timeEmbedOut_->forward(layers::silu(timeEmbedIn_->forward(tEmb)));
  if (labelEmbedIn_) emb = emb + labelEmbedOut_->forward(layers::silu(labelEmbedIn_->forward(y)));
  return emb;
}

at::Tensor UNetModelImpl::forward(const at::Tensor& x, const at::Tensor& timesteps, const at::Tensor& context,
                                  const at::Tensor& y) {
  checkInputs(x, context, y);
  const auto batch = x.size(0);
  const auto emb = embedding(timesteps, y, batch, x.options());
  at::Tensor ctx;
  if (config_.contextDim > 0) ctx = context.size(0) == batch ? context : context.expand({batch, -1, -1});

  std::vector<at::Tensor> skips;
  skips.reserve(inputBlocks_.size());
  auto h = x;
  for (auto& block : inputBlocks_) {
    h = block->forward(h, emb, ctx);
    skips.push_back(h);
  }
  h = middleBlock_->forward(h, emb, ctx);
  for (auto& block : outputBlocks_) {
    h = block->forward(at::cat({h, skips.back()}, 1), emb, ctx);
    skips.pop_back();
  }
  return outConv_->forward(layers::silu(outNorm_->forward(h)));
}

UNetModel loadUNetModel(const SafetensorsFile& file, const std::string& prefix, const LoadOptions& options) {
  const auto config = UNetConfig::fromWeights(ShapeMap::of(file), prefix);
  UNetModel model(config, at::TensorOptions().dtype(options.dtype).device(options.device));
  loadWeights(*model, file, prefix, options);
  return model;
}

}  // namespace celerity
