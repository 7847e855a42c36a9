#pragma once
// What the CLIP-L (Hugging Face layout) and OpenCLIP text encoders share: the activation
// choice, the pooling position, token checks, and the hyper-parameters that weights do not
// carry (heads, activation) but file metadata may state.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <ATen/ATen.h>

namespace celerity {

class ShapeMap;

enum class ClipActivation {
  QuickGelu = 0,  // x * sigmoid(1.702 x): OpenAI CLIP
  Gelu,           // exact erf GELU: OpenCLIP
};

at::Tensor applyActivation(ClipActivation activation, const at::Tensor& x);

// "quick_gelu" → QuickGelu; "gelu", "gelu (exact erf)" → Gelu. Throws naming `where`.
ClipActivation parseActivation(const std::string& text, const std::string& where);

// Real CLIP text towers use 64 channels per head; the weights cannot tell.
inline constexpr std::int64_t kClipDefaultHeadDim = 64;

// Checks a heads count against the width, or derives it from kClipDefaultHeadDim.
std::int64_t resolveHeads(std::int64_t width, std::optional<std::int64_t> heads,
                          const std::string& where);

// The shape of `name`, required to have `rank` dimensions; throws naming the tensor.
const std::vector<std::int64_t>& clipShape(const ShapeMap& shapes, const std::string& name,
                                           std::size_t rank);

// Per row, the position of the first occurrence of the row's largest id: the first
// end-of-text token (49407), whichever way the row is padded. [B] int64.
at::Tensor clipPoolingIndex(const at::Tensor& tokens);

// Validates [batch, tokens] integer ids against the context length; returns them as int64
// on `device`.
at::Tensor clipTokenIds(const at::Tensor& tokens, std::int64_t context, const at::Device& device);

// Text-encoder hints from `__metadata__`: flat keys (`headsKey`, `actKey`, `epsKey`) and a
// JSON object under `jsonKey` with `heads`/`act`/`eps`. They are taken only when the stated
// width (`widthKey`, or `width` in the JSON), if any, equals the weights' width, so that a
// file describing another encoder is not misread.
struct ClipMetadataHints {
  std::optional<std::int64_t> heads;
  std::optional<ClipActivation> activation;
  std::optional<double> layerNormEps;
};

struct ClipMetadataKeys {
  std::string widthKey, headsKey, actKey, epsKey, jsonKey;
};

ClipMetadataHints readClipMetadata(const ShapeMap& shapes, std::int64_t width,
                                   const ClipMetadataKeys& keys);

}  // namespace celerity
