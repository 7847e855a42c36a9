#pragma once
// Hyper-parameters of the CompVis / sgm `UNetModel` (SD 1.x and SDXL), read from tensor
// names and shapes. The defaults are SD 1.5's. Attention heads are the one thing the weights
// do not hold: they follow the family's rule unless the file's `unet_config` metadata names them.
#include <cstdint>
#include <string>
#include <vector>

namespace celerity {

class ShapeMap;

enum class UNetFamily {
  Sd1,   // 8 heads at every width
  Sdxl,  // 64 channels per head
};

const char* unetFamilyName(UNetFamily family);

struct UNetConfig {
  UNetFamily family = UNetFamily::Sd1;
  std::int64_t inChannels = 4;
  std::int64_t outChannels = 4;
  std::int64_t modelChannels = 320;
  std::int64_t timeEmbedDim = 1280;  // time_embed width, 4 × modelChannels in every SD model
  std::vector<std::int64_t> channelMult = {1, 2, 4, 4};
  std::int64_t numResBlocks = 2;
  // Transformer depth after each input ResBlock (levels × numResBlocks, 0 = no attention)
  // and after each output ResBlock (levels × (numResBlocks + 1), in output-block order,
  // deepest level first). Per block, because distilled SDXL variants vary it inside a level.
  std::vector<std::int64_t> inputDepths = {1, 1, 1, 1, 1, 1, 0, 0};
  std::vector<std::int64_t> outputDepths = {0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  std::int64_t middleDepth = 1;
  std::int64_t contextDim = 768;
  std::int64_t admInChannels = 0;  // SDXL `y` width (label_emb input); 0 = none
  bool linearProjection = false;   // proj_in / proj_out: Linear (SDXL) or 1×1 Conv2d (SD 1.x)
  // Head rule: numHeadChannels > 0 wins (heads = channels / numHeadChannels), else numHeads.
  std::int64_t numHeads = 8;
  std::int64_t numHeadChannels = -1;

  int levels() const { return static_cast<int>(channelMult.size()); }
  std::int64_t levelChannels(int level) const;
  // Deepest transformer of the level's input blocks; 0 when the level has no attention.
  std::int64_t transformerDepth(int level) const;
  bool hasAttention(int level) const { return transformerDepth(level) > 0; }
  std::int64_t middleChannels() const { return levelChannels(levels() - 1); }

  // Heads and head width of a transformer with `channels` channels.
  std::int64_t headCount(std::int64_t channels) const;
  std::int64_t headDim(std::int64_t channels) const { return channels / headCount(channels); }

  // Reads everything from the tensors under `prefix` (e.g. "model.diffusion_model."), then
  // applies `unet_config` / `modelspec.architecture` metadata where the map carries it.
  // Throws CelerityError naming the tensor or field when the weights are not such a UNet.
  static UNetConfig fromWeights(const ShapeMap& weights, const std::string& prefix);

  // The published models: SD 1.5 (v1-inference.yaml, = the defaults) and SDXL base 1.0
  // (sd_xl_base.yaml).
  static UNetConfig sd15();
  static UNetConfig sdxlBase();

  // Sets the family and its default head rule.
  void applyFamilyHeads(UNetFamily newFamily);
};

}  // namespace celerity
