#pragma once
// Hyper-parameters of the CompVis AutoencoderKL (the SD 1.x / SDXL VAE), read from tensor
// shapes so that the same code reads a real checkpoint, a standalone VAE file, a
// decoder-only file and the manifests of the real checkpoints.
#include <cstdint>
#include <string>
#include <vector>

namespace celerity {

class ShapeMap;

struct VaeConfig {
  // Latent scale factors by model family. The factor is not stored in the weights, so the
  // caller sets `scaleFactor` from the model family unless the file's metadata names it.
  static constexpr double kScaleFactorSd1 = 0.18215;
  static constexpr double kScaleFactorSdxl = 0.13025;

  std::int64_t inChannels = 3;   // image channels the encoder takes
  std::int64_t outChannels = 3;  // image channels the decoder gives
  std::int64_t ch = 128;         // width of level 0
  std::vector<std::int64_t> chMult = {1, 2, 4, 4};
  std::int64_t numResBlocks = 2;  // encoder blocks per level; the decoder has one more
  std::int64_t zChannels = 4;     // encoder output is 2·zChannels (double_z)
  std::int64_t embedDim = 4;      // latent channels after quant_conv / before post_quant_conv
  // Levels with attention blocks after every ResnetBlock (ldm `attn_resolutions`; none in
  // SD). A level has the same resolution in the encoder and the decoder.
  std::vector<std::int64_t> attentionLevels;
  bool hasEncoder = true;
  bool hasDecoder = true;
  double scaleFactor = kScaleFactorSd1;

  // Reads every field from the tensors under `prefix` (e.g. "first_stage_model."), and
  // `scaleFactor` from the metadata value `scale_factor` when present. Throws
  // CelerityError naming the tensor when the shapes are not a VAE or contradict each other.
  static VaeConfig fromWeights(const ShapeMap& shapes, const std::string& prefix);

  std::int64_t levels() const { return static_cast<std::int64_t>(chMult.size()); }
  std::int64_t width(std::int64_t level) const { return ch * chMult.at(level); }
  bool hasAttention(std::int64_t level) const;
  // Pixels per latent pixel along each side (8 for SD).
  std::int64_t spatialFactor() const { return std::int64_t{1} << (levels() - 1); }
};

}  // namespace celerity
