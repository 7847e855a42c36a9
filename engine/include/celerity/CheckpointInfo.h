#pragma once
// What a checkpoint file holds, as told by its tensor names and shapes alone.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace celerity {

enum class ModelFamily {
  Invalid = 0,
  Unknown,  // weights of no family this build runs
  SD1,      // Stable Diffusion 1.x
  SDXL,     // Stable Diffusion XL base
};

enum class ComponentKind {
  Invalid = 0,
  UNet,
  ClipL,      // OpenAI CLIP ViT-L/14 text encoder (Hugging Face layout)
  OpenClipG,  // OpenCLIP ViT-bigG/14 text encoder (open_clip layout)
  Vae,
};

const char* modelFamilyName(ModelFamily family);
const char* componentKindName(ComponentKind kind);

struct ComponentInfo {
  ComponentKind kind = ComponentKind::Invalid;
  std::string prefix;               // checkpoint key prefix, e.g. "model.diffusion_model."
  std::int64_t tensorCount = 0;
  std::int64_t parameterCount = 0;  // elements of floating tensors (integer buffers excluded)
  std::map<std::string, std::int64_t> tensorsPerDtype;  // "F16" → number of tensors
};

struct CheckpointInfo {
  std::string source;  // file path or manifest name
  ModelFamily family = ModelFamily::Invalid;
  std::string familyReason;  // which keys decided it, or why it is unknown
  std::vector<ComponentInfo> components;
  std::int64_t tensorCount = 0;
  std::int64_t otherTensorCount = 0;  // tensors of no component (schedule buffers, EMA, ...)
  std::vector<std::string> notes;    // e.g. "holds EMA weights (model_ema.*), ignored"

  const ComponentInfo* component(ComponentKind kind) const;
  bool has(ComponentKind kind) const { return component(kind) != nullptr; }
};

}  // namespace celerity
