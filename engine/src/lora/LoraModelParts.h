#pragma once
// The parts of a loaded model a LoRA can patch — the UNet and the text encoder(s) — with the
// checkpoint key prefixes their parameters come from (reports, tests against manifests).
// Made from a LoadedModel, or from bare modules (tests build them on the meta device).
#include <string>

#include "celerity/CheckpointInfo.h"
#include "models/clip/ClipTextModel.h"
#include "models/clip/OpenClipTextModel.h"
#include "models/unet/UNetModel.h"

namespace celerity {

class LoadedModel;

enum class LoraComponent {
  Invalid = 0,
  UNet,
  ClipL,      // SD 1.x's text encoder, SDXL's first
  OpenClipG,  // SDXL's second text encoder
};

const char* loraComponentName(LoraComponent component);
inline bool isTextEncoder(LoraComponent c) { return c == LoraComponent::ClipL || c == LoraComponent::OpenClipG; }

struct LoraModelParts {
  ModelFamily family = ModelFamily::Invalid;
  UNetModel unet{nullptr};
  ClipTextModel clipL{nullptr};
  OpenClipTextModel openClipG{nullptr};  // SDXL only
  // Single-file checkpoint prefixes of each part's parameters.
  std::string unetPrefix;
  std::string clipLPrefix;
  std::string openClipGPrefix;

  // The modules of `model`, with the original single-file layout's prefixes.
  static LoraModelParts of(LoadedModel& model);
  // Bare modules with the family's standard prefixes (SD 1.x: cond_stage_model.transformer.
  // text_model.; SDXL: conditioner.embedders.0.transformer.text_model. and
  // conditioner.embedders.1.model.). Throws InvalidArgument for other families.
  static LoraModelParts standard(ModelFamily family, UNetModel unet, ClipTextModel clipL,
                                 OpenClipTextModel openClipG = OpenClipTextModel{nullptr});

  torch::nn::Module* module(LoraComponent component) const;  // null when absent
  const std::string& prefix(LoraComponent component) const;
};

}  // namespace celerity
