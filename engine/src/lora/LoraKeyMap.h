#pragma once
// Which weight of the loaded model a LoRA module name patches. Names in every common style
// resolve to the same targets:
//   kohya      lora_unet_<ldm or diffusers path>, lora_te_ / lora_te1_ (CLIP-L),
//              lora_te2_ (SDXL's OpenCLIP-G, in Hugging Face names), with '.' → '_'
//   diffusers  unet.<diffusers path>, text_encoder.<…>, text_encoder_2.<…> (PEFT, the
//              attention-processor spelling …processor.to_q, bare down_blocks.…)
//   LyCORIS    lycoris_<diffusers path> (SimpleTuner)
// UNet diffusers paths come from the UNet's configuration (DiffusersUNetNames); OpenCLIP's
// fused attention makes q/k/v row slices of in_proj_weight, and its text_projection is
// patched transposed (open_clip computes x @ P; the LoRA is trained on Pᵀ).
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "lora/LoraModelParts.h"

namespace celerity {

struct LoraTarget {
  LoraComponent component = LoraComponent::Invalid;
  std::string parameter;       // in the component module: "input_blocks.1.1.proj_in.weight"
  std::string checkpointKey;   // the single-file checkpoint tensor it is
  std::string biasParameter;   // the layer's bias parameter; empty when it has none
  std::int64_t rowBegin = 0;   // [rowBegin, rowEnd) of dim 0 when the weight is a slice
  std::int64_t rowEnd = -1;    // -1: the whole tensor
  bool transposed = false;     // the weight patched is the parameter transposed
  std::vector<std::int64_t> shape;  // of the weight patched (after slicing / transposing)

  bool sliced() const { return rowEnd >= 0; }
  bool whole() const { return !sliced() && !transposed; }
  // The parameter's layer module path ("input_blocks.1.1.proj_in"), for forward-pass hooks.
  std::string layerPath() const;
};

class LoraKeyMap {
 public:
  explicit LoraKeyMap(const LoraModelParts& parts);

  // The target of a module name in any supported style; null when it names no weight of
  // this model (another architecture's layer, a weight the checkpoint does not have).
  const LoraTarget* find(const std::string& module) const;

  // The kohya-style key (lora_unet_…, lora_te1_…) another style's name is looked up as.
  static std::string canonicalName(const std::string& module);

  std::size_t size() const { return targets_.size(); }
  // Every name the map knows, with its target (tests, diagnostics).
  const std::unordered_map<std::string, LoraTarget>& entries() const { return targets_; }

 private:
  void addUNet(const LoraModelParts& parts);
  void addClipL(const LoraModelParts& parts);
  void addOpenClipG(const LoraModelParts& parts);
  void add(const std::string& name, const LoraTarget& target);

  std::unordered_map<std::string, LoraTarget> targets_;
};

}  // namespace celerity
