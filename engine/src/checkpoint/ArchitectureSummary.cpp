#include "checkpoint/ArchitectureSummary.h"

#include <sstream>

#include "celerity/Error.h"
#include "models/clip/ClipTextConfig.h"
#include "models/clip/OpenClipTextConfig.h"
#include "models/unet/UNetConfig.h"
#include "models/vae/VaeConfig.h"

namespace celerity {
namespace {

std::string listText(const std::vector<std::int64_t>& values) {
  std::ostringstream out;
  out << '[';
  for (std::size_t i = 0; i < values.size(); ++i) out << (i ? "," : "") << values[i];
  out << ']';
  return out.str();
}

std::string describeUNet(const ShapeMap& shapes, const std::string& prefix) {
  const auto config = UNetConfig::fromWeights(shapes, prefix);
  std::vector<std::int64_t> depths, heads;
  for (int level = 0; level < config.levels(); ++level) {
    depths.push_back(config.transformerDepth(level));
    heads.push_back(config.hasAttention(level) ? config.headCount(config.levelChannels(level)) : 0);
  }
  std::ostringstream out;
  out << "UNet (" << unetFamilyName(config.family) << "): " << config.modelChannels
      << " channels x " << listText(config.channelMult) << ", " << config.numResBlocks
      << " res blocks, transformer depth " << listText(depths) << " (middle "
      << config.middleDepth << "), heads " << listText(heads) << ", context "
      << config.contextDim << ", " << (config.linearProjection ? "linear" : "conv")
      << " projections";
  if (config.admInChannels > 0) out << ", vector input " << config.admInChannels;
  return out.str();
}

std::string describeClipL(const ShapeMap& shapes, const std::string& prefix) {
  const auto config = ClipTextConfig::fromWeights(shapes, prefix + "text_model.");
  std::ostringstream out;
  out << "CLIP-L: width " << config.width << ", " << config.layers << " layers, " << config.heads
      << " heads, MLP " << config.mlpWidth;
  return out.str();
}

std::string describeOpenClipG(const ShapeMap& shapes, const std::string& prefix) {
  const auto config = OpenClipTextConfig::fromWeights(shapes, prefix);
  std::ostringstream out;
  out << "OpenCLIP-G: width " << config.width << ", " << config.layers << " layers, "
      << config.heads << " heads, MLP " << config.mlpWidth << ", projection "
      << config.projectionDim;
  return out.str();
}

std::string describeVae(const ShapeMap& shapes, const std::string& prefix) {
  const auto config = VaeConfig::fromWeights(shapes, prefix);
  std::ostringstream out;
  out << "VAE: " << config.ch << " channels x " << listText(config.chMult) << ", "
      << config.numResBlocks << " res blocks, latent " << config.embedDim << " channels, "
      << (config.hasEncoder ? "encoder" : "") << (config.hasEncoder && config.hasDecoder ? " + " : "")
      << (config.hasDecoder ? "decoder" : "");
  return out.str();
}

}  // namespace

std::vector<std::string> describeArchitecture(const ShapeMap& shapes, const CheckpointInfo& info) {
  std::vector<std::string> lines;
  for (const auto& component : info.components) {
    try {
      switch (component.kind) {
        case ComponentKind::UNet: lines.push_back(describeUNet(shapes, component.prefix)); break;
        case ComponentKind::ClipL: lines.push_back(describeClipL(shapes, component.prefix)); break;
        case ComponentKind::OpenClipG:
          lines.push_back(describeOpenClipG(shapes, component.prefix));
          break;
        case ComponentKind::Vae: lines.push_back(describeVae(shapes, component.prefix)); break;
        case ComponentKind::Invalid: break;
      }
    } catch (const CelerityError& e) {
      lines.push_back(std::string(componentKindName(component.kind)) +
                      ": config unreadable: " + e.error().message);
    }
  }
  return lines;
}

}  // namespace celerity
