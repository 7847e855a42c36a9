#include "models/clip/ClipCommon.h"

#include <cctype>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "io/ShapeMap.h"
#include "models/common/Layers.h"

namespace celerity {
namespace {

using nlohmann::json;

std::string lowercase(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string metadataWhere(const ShapeMap& shapes, const std::string& key) {
  return (shapes.source.empty() ? std::string() : shapes.source + " ") + "[__metadata__." + key + "]";
}

std::int64_t parseInteger(const std::string& text, const std::string& where) {
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || end == nullptr || *end != '\0') {
    throw CelerityError(ErrorCode::MalformedFile, "expected an integer, got \"" + text + "\"", where);
  }
  return value;
}

double parseReal(const std::string& text, const std::string& where) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end == nullptr || *end != '\0' || !(value > 0)) {
    throw CelerityError(ErrorCode::MalformedFile, "expected a positive number, got \"" + text + "\"",
                        where);
  }
  return value;
}

// A JSON value that may be written as a number or as a string.
std::string jsonText(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::optional<std::string> flatValue(const ShapeMap& shapes, const std::string& key) {
  if (key.empty()) return std::nullopt;
  const auto it = shapes.metadata.find(key);
  if (it == shapes.metadata.end()) return std::nullopt;
  return it->second;
}

}  // namespace

at::Tensor applyActivation(ClipActivation activation, const at::Tensor& x) {
  return activation == ClipActivation::QuickGelu ? layers::quickGelu(x) : layers::gelu(x);
}

ClipActivation parseActivation(const std::string& text, const std::string& where) {
  const std::string name = lowercase(text);
  if (name.rfind("quick_gelu", 0) == 0 || name.rfind("quickgelu", 0) == 0) {
    return ClipActivation::QuickGelu;
  }
  // Only the exact form: "gelu_new" / "gelu_pytorch_tanh" are tanh approximations.
  if (name == "gelu" || name.rfind("gelu (exact", 0) == 0 || name == "gelu_exact") {
    return ClipActivation::Gelu;
  }
  throw CelerityError(ErrorCode::UnsupportedFormat, "unsupported text-encoder activation \"" + text + "\"",
                      where);
}

std::int64_t resolveHeads(std::int64_t width, std::optional<std::int64_t> heads,
                          const std::string& where) {
  if (heads) {
    if (*heads <= 0 || width % *heads != 0) {
      throw CelerityError(ErrorCode::MalformedFile,
                          std::to_string(*heads) + " attention heads do not divide width " +
                              std::to_string(width),
                          where);
    }
    return *heads;
  }
  if (width <= 0 || width % kClipDefaultHeadDim != 0) {
    throw CelerityError(ErrorCode::UnknownModel,
                        "text-encoder width " + std::to_string(width) +
                            " is not a multiple of 64 and the file does not state its heads",
                        where);
  }
  return width / kClipDefaultHeadDim;
}

const std::vector<std::int64_t>& clipShape(const ShapeMap& shapes, const std::string& name,
                                           std::size_t rank) {
  const auto& shape = shapes.shape(name);
  if (shape.size() != rank) {
    throw CelerityError(ErrorCode::WeightMismatch, "expected a " + std::to_string(rank) + "-d tensor",
                        shapes.source.empty() ? name : shapes.source + " [" + name + "]");
  }
  return shape;
}

at::Tensor clipPoolingIndex(const at::Tensor& tokens) {
  const auto length = tokens.size(1);
  const auto rowMax = std::get<0>(tokens.max(1, /*keepdim=*/true));
  const auto positions = at::arange(length, tokens.options().dtype(at::kLong)).expand_as(tokens);
  // Positions of non-maximal ids become `length`, so the minimum is the first maximum.
  return std::get<0>(at::where(tokens == rowMax, positions, at::full_like(positions, length)).min(1));
}

at::Tensor clipTokenIds(const at::Tensor& tokens, std::int64_t context, const at::Device& device) {
  if (!tokens.defined() || tokens.dim() != 2 || tokens.size(0) == 0 || tokens.size(1) == 0 ||
      tokens.is_floating_point() || tokens.is_complex()) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "text encoder expects non-empty [batch, tokens] integer ids", "tokens");
  }
  if (tokens.size(1) > context) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        std::to_string(tokens.size(1)) + " tokens exceed the context length " +
                            std::to_string(context),
                        "tokens");
  }
  return tokens.to(device, at::kLong);
}

ClipMetadataHints readClipMetadata(const ShapeMap& shapes, std::int64_t width,
                                   const ClipMetadataKeys& keys) {
  ClipMetadataHints hints;

  // Flat keys, as a Hugging Face config or the tiny goldens write them.
  const auto statedWidth = flatValue(shapes, keys.widthKey);
  if (!statedWidth || parseInteger(*statedWidth, metadataWhere(shapes, keys.widthKey)) == width) {
    if (const auto heads = flatValue(shapes, keys.headsKey)) {
      const auto where = metadataWhere(shapes, keys.headsKey);
      hints.heads = resolveHeads(width, parseInteger(*heads, where), where);
    }
    if (const auto act = flatValue(shapes, keys.actKey)) {
      hints.activation = parseActivation(*act, metadataWhere(shapes, keys.actKey));
    }
    if (const auto eps = flatValue(shapes, keys.epsKey)) {
      hints.layerNormEps = parseReal(*eps, metadataWhere(shapes, keys.epsKey));
    }
  }

  // A JSON object, as single-file checkpoints describe their text encoder.
  const auto text = flatValue(shapes, keys.jsonKey);
  if (!text) return hints;
  const std::string where = metadataWhere(shapes, keys.jsonKey);
  const json config = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!config.is_object()) {
    throw CelerityError(ErrorCode::MalformedFile, "text-encoder config is not a JSON object", where);
  }
  if (config.contains("width") && parseInteger(jsonText(config["width"]), where + ".width") != width) {
    return hints;
  }
  if (config.contains("heads")) {
    hints.heads = resolveHeads(width, parseInteger(jsonText(config["heads"]), where + ".heads"),
                               where + ".heads");
  }
  if (config.contains("act")) hints.activation = parseActivation(jsonText(config["act"]), where + ".act");
  if (config.contains("eps")) hints.layerNormEps = parseReal(jsonText(config["eps"]), where + ".eps");
  return hints;
}

}  // namespace celerity
