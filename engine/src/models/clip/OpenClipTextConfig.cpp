#include "models/clip/OpenClipTextConfig.h"

#include "celerity/Error.h"
#include "io/ShapeMap.h"

namespace celerity {

OpenClipTextConfig OpenClipTextConfig::fromWeights(const ShapeMap& shapes, const std::string& prefix,
                                                   std::optional<std::int64_t> heads) {
  const std::string where = shapes.source.empty() ? prefix : shapes.source + " [" + prefix + "]";
  OpenClipTextConfig config;
  const auto& tokens = clipShape(shapes, prefix + "token_embedding.weight", 2);
  const auto& positions = clipShape(shapes, prefix + "positional_embedding", 2);
  config.vocab = tokens[0];
  config.width = tokens[1];
  config.context = positions[0];
  if (positions[1] != config.width) {
    throw CelerityError(ErrorCode::WeightMismatch,
                        "positional and token embeddings differ in width", where);
  }
  const std::string blocks = prefix + "transformer.resblocks.";
  config.layers = shapes.countIndexed(blocks);
  if (config.layers == 0) {
    throw CelerityError(ErrorCode::WeightMismatch, "text tower has no transformer.resblocks", where);
  }
  config.mlpWidth = clipShape(shapes, blocks + "0.mlp.c_fc.weight", 2)[0];
  config.projectionDim = 0;
  if (shapes.contains(prefix + "text_projection")) {
    const auto& projection = clipShape(shapes, prefix + "text_projection", 2);
    if (projection[0] != config.width) {
      throw CelerityError(ErrorCode::WeightMismatch,
                          "text_projection rows differ from the width",
                          where + "text_projection");
    }
    config.projectionDim = projection[1];
  }

  const auto hints = readClipMetadata(shapes, config.width,
                                      {"width", "heads", "act", "layer_norm_eps", {}});
  if (hints.activation) config.activation = *hints.activation;
  if (hints.layerNormEps) config.layerNormEps = *hints.layerNormEps;
  config.heads = resolveHeads(config.width, heads ? heads : hints.heads, where);
  return config;
}

}  // namespace celerity
