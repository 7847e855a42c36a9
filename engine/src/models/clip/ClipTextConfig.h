#pragma once
// Hyper-parameters of a CLIP text transformer in the Hugging Face `CLIPTextModel` layout
// (SD 1.x `cond_stage_model.transformer.text_model.`, SDXL
// `conditioner.embedders.0.transformer.text_model.`). Defaults are OpenAI CLIP ViT-L/14.
#include <cstdint>
#include <optional>
#include <string>

#include "models/clip/ClipCommon.h"

namespace celerity {

class ShapeMap;

struct ClipTextConfig {
  std::int64_t width = 768;
  std::int64_t layers = 12;
  std::int64_t heads = 12;
  std::int64_t mlpWidth = 3072;
  std::int64_t vocab = 49408;
  std::int64_t context = 77;
  double layerNormEps = 1e-5;
  ClipActivation activation = ClipActivation::QuickGelu;

  std::int64_t headDim() const { return width / heads; }

  // Width, depth, vocabulary, context and MLP size from the tensor shapes under `prefix`.
  // Heads: `heads` when given, else the metadata (`num_attention_heads`, or `heads` in a
  // `clip_config` JSON), else width / 64. The activation and LayerNorm eps are read from
  // the metadata too (`hidden_act`, `layer_norm_eps`, `clip_config.act`).
  static ClipTextConfig fromWeights(const ShapeMap& shapes, const std::string& prefix,
                                    std::optional<std::int64_t> heads = std::nullopt);
};

}  // namespace celerity
