#include "lora/LoraKeyMap.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "lora/DiffusersUNetNames.h"

namespace celerity {
namespace {

const std::string kWeight = ".weight";

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string underscored(std::string path) {
  std::replace(path.begin(), path.end(), '.', '_');
  return path;
}

std::string withoutWeight(const std::string& name) { return name.substr(0, name.size() - kWeight.size()); }

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// Parameter name → shape, and the set of names, of one module tree.
struct ParameterIndex {
  std::map<std::string, std::vector<std::int64_t>> shapes;

  explicit ParameterIndex(const torch::nn::Module& module) {
    for (const auto& item : module.named_parameters(/*recurse=*/true)) {
      shapes[item.key()] = item.value().sizes().vec();
    }
  }
  bool has(const std::string& name) const { return shapes.count(name) != 0; }
};

LoraTarget wholeTarget(LoraComponent component, const LoraModelParts& parts, const ParameterIndex& index,
                       const std::string& parameter) {
  LoraTarget target;
  target.component = component;
  target.parameter = parameter;
  target.checkpointKey = parts.prefix(component) + parameter;
  target.shape = index.shapes.at(parameter);
  if (endsWith(parameter, kWeight)) {
    const auto bias = withoutWeight(parameter) + ".bias";
    if (index.has(bias)) target.biasParameter = bias;
  }
  return target;
}

// diffusers / PEFT module paths below a "unet." / "text_encoder." prefix.
std::string diffusersPath(std::string path) {
  if (startsWith(path, "base_model.model.")) path = path.substr(std::string("base_model.model.").size());
  path = replaceAll(path, ".processor.", ".");  // attention processors: attn1.processor.to_q
  if (endsWith(path, ".to_out")) path += ".0";  // …processor.to_out_lora → to_out.0
  return path;
}

// Open_clip residual block part → Hugging Face CLIPEncoderLayer part.
const std::array<std::pair<const char*, const char*>, 5> kOpenClipLayerParts = {{
    {"attn.out_proj.weight", "self_attn.out_proj"},
    {"mlp.c_fc.weight", "mlp.fc1"},
    {"mlp.c_proj.weight", "mlp.fc2"},
    {"ln_1.weight", "layer_norm1"},
    {"ln_2.weight", "layer_norm2"},
}};

}  // namespace

std::string LoraTarget::layerPath() const {
  return endsWith(parameter, kWeight) ? withoutWeight(parameter) : parameter;
}

LoraKeyMap::LoraKeyMap(const LoraModelParts& parts) {
  if (parts.unet) addUNet(parts);
  if (parts.clipL) addClipL(parts);
  if (parts.openClipG) addOpenClipG(parts);
}

void LoraKeyMap::add(const std::string& name, const LoraTarget& target) { targets_.emplace(name, target); }

void LoraKeyMap::addUNet(const LoraModelParts& parts) {
  const ParameterIndex index(*parts.unet);
  const DiffusersUNetNames diffusers(parts.unet->config());
  for (const auto& [parameter, shape] : index.shapes) {
    if (!endsWith(parameter, kWeight)) continue;
    const auto target = wholeTarget(LoraComponent::UNet, parts, index, parameter);
    const auto path = withoutWeight(parameter);
    add("lora_unet_" + underscored(path), target);
    for (const auto& name : diffusers.diffusersNames(path)) add("lora_unet_" + underscored(name), target);
  }
}

void LoraKeyMap::addClipL(const LoraModelParts& parts) {
  const ParameterIndex index(*parts.clipL);
  for (const auto& [parameter, shape] : index.shapes) {
    if (!endsWith(parameter, kWeight)) continue;
    const auto target = wholeTarget(LoraComponent::ClipL, parts, index, parameter);
    const auto name = underscored("text_model." + withoutWeight(parameter));
    add("lora_te_" + name, target);
    add("lora_te1_" + name, target);
  }
}

void LoraKeyMap::addOpenClipG(const LoraModelParts& parts) {
  const ParameterIndex index(*parts.openClipG);
  const std::string blocks = "transformer.resblocks.";
  for (const auto& [parameter, shape] : index.shapes) {
    if (startsWith(parameter, blocks)) {
      const auto dot = parameter.find('.', blocks.size());
      const auto layer = parameter.substr(blocks.size(), dot - blocks.size());
      const auto part = parameter.substr(dot + 1);
      const auto hfLayer = "lora_te2_text_model_encoder_layers_" + layer + "_";
      if (part == "attn.in_proj_weight") {
        // q, k, v stacked along dim 0, in that order (open_clip's nn.MultiheadAttention).
        const auto width = shape.at(0) / 3;
        const std::array<const char*, 3> names = {"self_attn_q_proj", "self_attn_k_proj", "self_attn_v_proj"};
        for (std::int64_t i = 0; i < 3; ++i) {
          LoraTarget target = wholeTarget(LoraComponent::OpenClipG, parts, index, parameter);
          const auto bias = blocks + layer + ".attn.in_proj_bias";
          target.biasParameter = index.has(bias) ? bias : "";
          target.rowBegin = i * width;
          target.rowEnd = (i + 1) * width;
          target.shape[0] = width;
          add(hfLayer + names[static_cast<std::size_t>(i)], target);
        }
        continue;
      }
      for (const auto& [from, to] : kOpenClipLayerParts) {
        if (part == from) add(hfLayer + underscored(to), wholeTarget(LoraComponent::OpenClipG, parts, index, parameter));
      }
      continue;
    }
    if (parameter == "text_projection") {
      LoraTarget target = wholeTarget(LoraComponent::OpenClipG, parts, index, parameter);
      target.transposed = true;
      std::reverse(target.shape.begin(), target.shape.end());
      add("lora_te2_text_projection", target);
    } else if (parameter == "ln_final.weight") {
      add("lora_te2_text_model_final_layer_norm", wholeTarget(LoraComponent::OpenClipG, parts, index, parameter));
    } else if (parameter == "token_embedding.weight") {
      add("lora_te2_text_model_embeddings_token_embedding",
          wholeTarget(LoraComponent::OpenClipG, parts, index, parameter));
    }
  }
}

std::string LoraKeyMap::canonicalName(const std::string& module) {
  static const std::array<const char*, 4> kohya = {"lora_unet_", "lora_te_", "lora_te1_", "lora_te2_"};
  for (const char* prefix : kohya) {
    if (startsWith(module, prefix)) return module;
  }
  if (startsWith(module, "lycoris_")) return "lora_unet_" + module.substr(8);
  const auto rest = [&](const std::string& prefix) { return module.substr(prefix.size()); };
  if (startsWith(module, "unet.")) return "lora_unet_" + underscored(diffusersPath(rest("unet.")));
  if (startsWith(module, "text_encoder_2.")) return "lora_te2_" + underscored(diffusersPath(rest("text_encoder_2.")));
  if (startsWith(module, "text_encoder.")) return "lora_te1_" + underscored(diffusersPath(rest("text_encoder.")));
  if (startsWith(module, "model.diffusion_model.")) return "lora_unet_" + underscored(rest("model.diffusion_model."));
  if (startsWith(module, "diffusion_model.")) return "lora_unet_" + underscored(rest("diffusion_model."));
  // Bare diffusers UNet names (down_blocks.0.…, mid_block.…, conv_in, …).
  static const std::array<const char*, 9> bare = {"down_blocks.", "mid_block.", "up_blocks.", "conv_in",
                                                  "conv_out", "conv_norm_out", "time_embedding.",
                                                  "add_embedding.", "class_embedding."};
  for (const char* prefix : bare) {
    if (startsWith(module, prefix)) return "lora_unet_" + underscored(diffusersPath(module));
  }
  return module;
}

const LoraTarget* LoraKeyMap::find(const std::string& module) const {
  const auto it = targets_.find(canonicalName(module));
  return it == targets_.end() ? nullptr : &it->second;
}

}  // namespace celerity
