#pragma once
// Hyper-parameters of an OpenCLIP text tower in open_clip's own layout (SDXL
// `conditioner.embedders.1.model.`). Defaults are ViT-bigG-14.
#include <cstdint>
#include <optional>
#include <string>

#include "models/clip/ClipCommon.h"

namespace celerity {

class ShapeMap;

struct OpenClipTextConfig {
  std::int64_t width = 1280;
  std::int64_t layers = 32;
  std::int64_t heads = 20;
  std::int64_t mlpWidth = 5120;
  std::int64_t vocab = 49408;
  std::int64_t context = 77;
  std::int64_t projectionDim = 1280;  // columns of text_projection; 0 when the file has none
  double layerNormEps = 1e-5;
  ClipActivation activation = ClipActivation::Gelu;

  std::int64_t headDim() const { return width / heads; }

  // Width, depth, vocabulary, context, MLP and projection size from the tensor shapes under
  // `prefix`. Heads: `heads` when given, else the metadata (`heads`), else width / 64.
  // The metadata may also state `act` and `layer_norm_eps`.
  static OpenClipTextConfig fromWeights(const ShapeMap& shapes, const std::string& prefix,
                                        std::optional<std::int64_t> heads = std::nullopt);
};

}  // namespace celerity
