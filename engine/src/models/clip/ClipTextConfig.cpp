#include "models/clip/ClipTextConfig.h"

#include "celerity/Error.h"
#include "io/ShapeMap.h"

namespace celerity {

ClipTextConfig ClipTextConfig::fromWeights(const ShapeMap& shapes, const std::string& prefix,
                                           std::optional<std::int64_t> heads) {
  const std::string where = shapes.source.empty() ? prefix : shapes.source + " [" + prefix + "]";
  ClipTextConfig config;
  const auto& tokens = clipShape(shapes, prefix + "embeddings.token_embedding.weight", 2);
  const auto& positions = clipShape(shapes, prefix + "embeddings.position_embedding.weight", 2);
  config.vocab = tokens[0];
  config.width = tokens[1];
  config.context = positions[0];
  if (positions[1] != config.width) {
    throw CelerityError(ErrorCode::WeightMismatch,
                        "position and token embeddings differ in width", where);
  }
  config.layers = shapes.countIndexed(prefix + "encoder.layers.");
  if (config.layers == 0) {
    throw CelerityError(ErrorCode::WeightMismatch, "text encoder has no encoder.layers", where);
  }
  config.mlpWidth = clipShape(shapes, prefix + "encoder.layers.0.mlp.fc1.weight", 2)[0];

  const auto hints = readClipMetadata(
      shapes, config.width,
      {"hidden_size", "num_attention_heads", "hidden_act", "layer_norm_eps", "clip_config"});
  if (hints.activation) config.activation = *hints.activation;
  if (hints.layerNormEps) config.layerNormEps = *hints.layerNormEps;
  config.heads = resolveHeads(config.width, heads ? heads : hints.heads, where);
  return config;
}

}  // namespace celerity
