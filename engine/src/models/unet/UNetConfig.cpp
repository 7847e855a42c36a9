#include "models/unet/UNetConfig.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "io/ShapeMap.h"

namespace celerity {
namespace {

constexpr std::int64_t kSd1Heads = 8;
constexpr std::int64_t kSdxlHeadChannels = 64;

std::string where(const ShapeMap& weights, const std::string& name) {
  return weights.source.empty() ? name : weights.source + " [" + name + "]";
}

[[noreturn]] void fail(const ShapeMap& weights, const std::string& name, const std::string& message) {
  throw CelerityError(ErrorCode::UnknownModel, message, where(weights, name));
}

std::string blockKey(const std::string& prefix, const char* group, std::size_t index) {
  return prefix + group + "." + std::to_string(index) + ".";
}

// Transformer depth of block `<block>1.`; 0 when the block has no SpatialTransformer there.
std::int64_t depthAt(const ShapeMap& weights, const std::string& block) {
  return weights.countIndexed(block + "1.transformer_blocks.");
}

// First SpatialTransformer of the model (any block), "" when there is none.
std::string firstTransformer(const ShapeMap& weights, const std::string& prefix, int inputs,
                             int outputs) {
  for (int n = 0; n < inputs; ++n) {
    const auto block = blockKey(prefix, "input_blocks", n) + "1.";
    if (weights.contains(block + "proj_in.weight")) return block;
  }
  if (weights.contains(prefix + "middle_block.1.proj_in.weight")) return prefix + "middle_block.1.";
  for (int n = 0; n < outputs; ++n) {
    const auto block = blockKey(prefix, "output_blocks", n) + "1.";
    if (weights.contains(block + "proj_in.weight")) return block;
  }
  return {};
}

// Input blocks after the stem: ResBlocks (with their transformers) and Downsamples.
void readInputBlocks(const ShapeMap& weights, const std::string& prefix, UNetConfig& config) {
  const int count = weights.countIndexed(prefix + "input_blocks.");
  std::vector<std::int64_t> resPerLevel;
  std::int64_t resInLevel = 0;
  config.channelMult.clear();
  config.inputDepths.clear();
  for (int n = 1; n < count; ++n) {
    const auto block = blockKey(prefix, "input_blocks", n);
    if (weights.contains(block + "0.op.weight")) {
      resPerLevel.push_back(resInLevel);
      resInLevel = 0;
      continue;
    }
    const auto conv = block + "0.in_layers.2.weight";
    if (!weights.contains(conv)) fail(weights, block + "0", "input block is neither a ResBlock nor a Downsample");
    const auto out = weights.shape(conv).at(0);
    if (out % config.modelChannels != 0) fail(weights, conv, "channels are not a multiple of model_channels");
    const auto mult = out / config.modelChannels;
    if (resInLevel == 0) {
      config.channelMult.push_back(mult);
    } else if (config.channelMult.back() != mult) {
      fail(weights, conv, "channel count changes inside a level");
    }
    config.inputDepths.push_back(depthAt(weights, block));
    ++resInLevel;
  }
  resPerLevel.push_back(resInLevel);
  if (resPerLevel.empty() || resPerLevel.front() == 0) {
    fail(weights, prefix + "input_blocks.1", "the UNet has no input ResBlocks");
  }
  config.numResBlocks = resPerLevel.front();
  for (auto n : resPerLevel) {
    if (n != config.numResBlocks) {
      throw CelerityError(ErrorCode::UnsupportedFormat,
                          "levels with different ResBlock counts are not supported",
                          where(weights, prefix + "input_blocks"));
    }
  }
}

void readOutputBlocks(const ShapeMap& weights, const std::string& prefix, UNetConfig& config) {
  const auto expected = static_cast<int>(config.levels() * (config.numResBlocks + 1));
  const int count = weights.countIndexed(prefix + "output_blocks.");
  if (count != expected) {
    fail(weights, prefix + "output_blocks",
         std::to_string(count) + " output blocks where the input blocks imply " + std::to_string(expected));
  }
  config.outputDepths.clear();
  for (int n = 0; n < count; ++n) {
    config.outputDepths.push_back(depthAt(weights, blockKey(prefix, "output_blocks", n)));
  }
}

std::int64_t jsonInt(const nlohmann::json& object, const char* key, std::int64_t fallback,
                     const std::string& field) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_number_integer()) {
    throw CelerityError(ErrorCode::MalformedFile, std::string(key) + " is not an integer", field);
  }
  return it->get<std::int64_t>();
}

// `unet_config` (the reference constructor's arguments, as the goldens and some tools store
// them) overrides the head rule; `modelspec.architecture` the family.
void applyMetadata(const ShapeMap& weights, UNetConfig& config) {
  if (const auto it = weights.metadata.find("modelspec.architecture"); it != weights.metadata.end()) {
    if (it->second.rfind("stable-diffusion-xl", 0) == 0) {
      config.applyFamilyHeads(UNetFamily::Sdxl);
    } else if (it->second.rfind("stable-diffusion-v1", 0) == 0) {
      config.applyFamilyHeads(UNetFamily::Sd1);
    }
  }
  const auto it = weights.metadata.find("unet_config");
  if (it == weights.metadata.end()) return;
  const std::string field = where(weights, "__metadata__.unet_config");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(it->second);
  } catch (const nlohmann::json::exception& e) {
    throw CelerityError(ErrorCode::MalformedFile, std::string("not valid JSON: ") + e.what(), field);
  }
  if (!json.is_object()) throw CelerityError(ErrorCode::MalformedFile, "not a JSON object", field);
  if (!json.contains("num_heads") && !json.contains("num_head_channels")) return;
  // As in the reference constructor, -1 (or absent) means "unused", and channels win.
  const auto heads = jsonInt(json, "num_heads", -1, field);
  const auto headChannels = jsonInt(json, "num_head_channels", -1, field);
  if (heads <= 0 && headChannels <= 0) {
    throw CelerityError(ErrorCode::MalformedFile, "neither num_heads nor num_head_channels is set", field);
  }
  config.numHeads = heads;
  config.numHeadChannels = headChannels;
}

}  // namespace

const char* unetFamilyName(UNetFamily family) {
  switch (family) {
    case UNetFamily::Sd1: return "SD 1.x";
    case UNetFamily::Sdxl: return "SDXL";
  }
  return "unknown";
}

std::int64_t UNetConfig::levelChannels(int level) const {
  return modelChannels * channelMult.at(static_cast<std::size_t>(level));
}

std::int64_t UNetConfig::transformerDepth(int level) const {
  std::int64_t depth = 0;
  for (std::int64_t i = 0; i < numResBlocks; ++i) {
    depth = std::max(depth, inputDepths.at(static_cast<std::size_t>(level * numResBlocks + i)));
  }
  return depth;
}

std::int64_t UNetConfig::headCount(std::int64_t channels) const {
  const auto heads = numHeadChannels > 0 ? channels / numHeadChannels : numHeads;
  if (heads <= 0 || channels % heads != 0) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "attention heads do not divide " + std::to_string(channels) + " channels",
                        "UNetConfig");
  }
  return heads;
}

void UNetConfig::applyFamilyHeads(UNetFamily newFamily) {
  family = newFamily;
  numHeads = newFamily == UNetFamily::Sd1 ? kSd1Heads : -1;
  numHeadChannels = newFamily == UNetFamily::Sdxl ? kSdxlHeadChannels : -1;
}

UNetConfig UNetConfig::sd15() { return UNetConfig{}; }

UNetConfig UNetConfig::sdxlBase() {
  UNetConfig config;
  config.channelMult = {1, 2, 4};
  // transformer_depth [1, 2, 10], but level 0 has no attention (attention_resolutions [4, 2]).
  config.inputDepths = {0, 0, 2, 2, 10, 10};
  config.outputDepths = {10, 10, 10, 2, 2, 2, 0, 0, 0};
  config.middleDepth = 10;
  config.contextDim = 2048;
  config.admInChannels = 2816;
  config.linearProjection = true;
  config.applyFamilyHeads(UNetFamily::Sdxl);
  return config;
}

UNetConfig UNetConfig::fromWeights(const ShapeMap& weights, const std::string& prefix) {
  UNetConfig config;
  const auto stem = prefix + "input_blocks.0.0.weight";
  if (!weights.contains(stem)) fail(weights, stem, "no UNet under this prefix");
  const auto& stemShape = weights.shape(stem);
  if (stemShape.size() != 4) fail(weights, stem, "the input convolution is not 4-d");
  config.modelChannels = stemShape[0];
  config.inChannels = stemShape[1];
  config.outChannels = weights.shape(prefix + "out.2.weight").at(0);
  const auto& timeShape = weights.shape(prefix + "time_embed.0.weight");
  config.timeEmbedDim = timeShape.at(0);
  if (timeShape.at(1) != config.modelChannels) {
    fail(weights, prefix + "time_embed.0.weight", "time embedding input differs from model_channels");
  }
  if (const auto label = weights.findShape(prefix + "label_emb.0.0.weight")) {
    config.admInChannels = label->at(1);
  }

  readInputBlocks(weights, prefix, config);
  readOutputBlocks(weights, prefix, config);
  config.middleDepth = weights.countIndexed(prefix + "middle_block.1.transformer_blocks.");
  if (config.middleDepth == 0) {
    throw CelerityError(ErrorCode::UnsupportedFormat, "middle block without a transformer",
                        where(weights, prefix + "middle_block.1"));
  }

  const auto transformer = firstTransformer(weights, prefix, weights.countIndexed(prefix + "input_blocks."),
                                            weights.countIndexed(prefix + "output_blocks."));
  config.contextDim = 0;
  config.linearProjection = false;
  if (!transformer.empty()) {
    config.linearProjection = weights.shape(transformer + "proj_in.weight").size() == 2;
    config.contextDim = weights.shape(transformer + "transformer_blocks.0.attn2.to_k.weight").at(1);
  }

  // SDXL is the family with a vector condition and linear projections.
  config.applyFamilyHeads(config.admInChannels > 0 && config.linearProjection ? UNetFamily::Sdxl
                                                                              : UNetFamily::Sd1);
  applyMetadata(weights, config);
  return config;
}

}  // namespace celerity
