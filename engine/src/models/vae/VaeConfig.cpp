#include "models/vae/VaeConfig.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "celerity/Error.h"
#include "io/ShapeMap.h"

namespace celerity {
namespace {

std::string where(const ShapeMap& shapes, const std::string& name) {
  return shapes.source.empty() ? name : shapes.source + " [" + name + "]";
}

// The shape of a tensor that must exist with the given rank.
std::vector<std::int64_t> shapeOf(const ShapeMap& shapes, const std::string& name,
                                  std::size_t rank) {
  const auto& shape = shapes.shape(name);
  if (shape.size() != rank) {
    throw CelerityError(ErrorCode::WeightMismatch,
                        "VAE tensor has " + std::to_string(shape.size()) +
                            " dimensions, expected " + std::to_string(rank),
                        where(shapes, name));
  }
  return shape;
}

void require(bool condition, const ShapeMap& shapes, const std::string& name,
             const std::string& message) {
  if (!condition) throw CelerityError(ErrorCode::WeightMismatch, message, where(shapes, name));
}

struct Side {
  std::int64_t ch = 0;
  std::vector<std::int64_t> widths;
  std::int64_t numResBlocks = 0;
  std::vector<std::int64_t> attentionLevels;
};

// Level widths, blocks per level and attention levels of `encoder.down` / `decoder.up`.
Side readLevels(const ShapeMap& shapes, const std::string& levelPrefix, std::int64_t ch,
                std::int64_t extraBlocks) {
  Side side;
  side.ch = ch;
  const int levels = shapes.countIndexed(levelPrefix);
  require(levels > 0, shapes, levelPrefix + "*", "VAE has no resolution levels");
  side.numResBlocks = shapes.countIndexed(levelPrefix + "0.block.") - extraBlocks;
  require(side.numResBlocks > 0, shapes, levelPrefix + "0.block.*", "VAE level has too few blocks");
  for (int level = 0; level < levels; ++level) {
    const std::string levelName = levelPrefix + std::to_string(level) + ".";
    require(shapes.countIndexed(levelName + "block.") == side.numResBlocks + extraBlocks, shapes,
            levelName + "block.*", "VAE levels differ in their number of blocks");
    const auto conv1 = shapeOf(shapes, levelName + "block.0.conv1.weight", 4);
    require(conv1[0] > 0 && conv1[0] % ch == 0, shapes, levelName + "block.0.conv1.weight",
            "VAE level width is not a multiple of the base width " + std::to_string(ch));
    side.widths.push_back(conv1[0]);
    if (shapes.hasPrefix(levelName + "attn.")) side.attentionLevels.push_back(level);
  }
  return side;
}

double metadataScaleFactor(const ShapeMap& shapes, double fallback) {
  const auto it = shapes.metadata.find("scale_factor");
  if (it == shapes.metadata.end()) return fallback;
  try {
    std::size_t used = 0;
    const double value = std::stod(it->second, &used);
    if (used > 0 && std::isfinite(value) && value > 0) return value;
  } catch (const std::exception&) {
  }
  throw CelerityError(ErrorCode::MalformedFile,
                      "metadata scale_factor is not a positive number: '" + it->second + "'",
                      where(shapes, "__metadata__.scale_factor"));
}

}  // namespace

bool VaeConfig::hasAttention(std::int64_t level) const {
  return std::find(attentionLevels.begin(), attentionLevels.end(), level) != attentionLevels.end();
}

VaeConfig VaeConfig::fromWeights(const ShapeMap& shapes, const std::string& prefix) {
  VaeConfig config;
  config.hasEncoder = shapes.hasPrefix(prefix + "encoder.");
  config.hasDecoder = shapes.hasPrefix(prefix + "decoder.");
  if (!config.hasEncoder && !config.hasDecoder) {
    throw CelerityError(ErrorCode::UnknownModel, "no VAE encoder or decoder tensors",
                        where(shapes, prefix + "*"));
  }

  Side encoder;
  Side decoder;
  if (config.hasEncoder) {
    const auto convIn = shapeOf(shapes, prefix + "encoder.conv_in.weight", 4);
    config.inChannels = convIn[1];
    encoder = readLevels(shapes, prefix + "encoder.down.", convIn[0], 0);
    // conv_out gives mean and logvar (double_z), quant_conv mixes them into 2·embed_dim.
    const auto convOut = shapeOf(shapes, prefix + "encoder.conv_out.weight", 4);
    require(convOut[0] % 2 == 0, shapes, prefix + "encoder.conv_out.weight",
            "VAE encoder output is not mean and logvar (odd channel count)");
    config.zChannels = convOut[0] / 2;
    const auto quant = shapeOf(shapes, prefix + "quant_conv.weight", 4);
    require(quant[1] == convOut[0] && quant[0] % 2 == 0, shapes, prefix + "quant_conv.weight",
            "VAE quant_conv does not fit the encoder output");
    config.embedDim = quant[0] / 2;
  }
  if (config.hasDecoder) {
    const auto convIn = shapeOf(shapes, prefix + "decoder.conv_in.weight", 4);
    const auto convOut = shapeOf(shapes, prefix + "decoder.conv_out.weight", 4);
    config.outChannels = convOut[0];
    decoder = readLevels(shapes, prefix + "decoder.up.", convOut[1], 1);
    require(convIn[0] == decoder.widths.back(), shapes, prefix + "decoder.conv_in.weight",
            "VAE decoder conv_in does not fit its deepest level");
    const auto postQuant = shapeOf(shapes, prefix + "post_quant_conv.weight", 4);
    require(postQuant[0] == convIn[1], shapes, prefix + "post_quant_conv.weight",
            "VAE post_quant_conv does not fit the decoder input");
    if (config.hasEncoder) {
      require(convIn[1] == config.zChannels && postQuant[1] == config.embedDim, shapes,
              prefix + "post_quant_conv.weight", "VAE encoder and decoder latents differ");
      require(encoder.ch == decoder.ch && encoder.widths == decoder.widths &&
                  encoder.attentionLevels == decoder.attentionLevels,
              shapes, prefix + "decoder.up.*", "VAE encoder and decoder levels differ");
    }
    config.zChannels = convIn[1];
    config.embedDim = postQuant[1];
  }

  const Side& side = config.hasEncoder ? encoder : decoder;
  config.ch = side.ch;
  config.numResBlocks = side.numResBlocks;
  config.attentionLevels = side.attentionLevels;
  if (config.hasEncoder && config.hasDecoder) {
    require(encoder.numResBlocks == decoder.numResBlocks, shapes, prefix + "decoder.up.0.block.*",
            "VAE decoder does not have one block more per level than the encoder");
  }
  config.chMult.clear();
  for (const auto width : side.widths) config.chMult.push_back(width / side.ch);
  config.scaleFactor = metadataScaleFactor(shapes, config.scaleFactor);
  return config;
}

}  // namespace celerity
