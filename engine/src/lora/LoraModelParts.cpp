#include "lora/LoraModelParts.h"

#include "celerity/Error.h"
#include "checkpoint/CheckpointDetector.h"
#include "pipeline/LoadedModel.h"

namespace celerity {

const char* loraComponentName(LoraComponent component) {
  switch (component) {
    case LoraComponent::UNet: return "UNet";
    case LoraComponent::ClipL: return "CLIP-L";
    case LoraComponent::OpenClipG: return "OpenCLIP-G";
    case LoraComponent::Invalid: break;
  }
  return "invalid";
}

LoraModelParts LoraModelParts::standard(ModelFamily family, UNetModel unet, ClipTextModel clipL,
                                        OpenClipTextModel openClipG) {
  namespace keys = checkpoint_keys;
  LoraModelParts parts;
  parts.family = family;
  parts.unet = std::move(unet);
  parts.clipL = std::move(clipL);
  parts.openClipG = std::move(openClipG);
  parts.unetPrefix = keys::kUNet;
  if (family == ModelFamily::SD1) {
    parts.clipLPrefix = keys::kSd1ClipL + "text_model.";
  } else if (family == ModelFamily::SDXL) {
    parts.clipLPrefix = keys::kSdxlClipL + "text_model.";
    parts.openClipGPrefix = keys::kSdxlOpenClipG;
  } else {
    throw CelerityError(ErrorCode::InvalidArgument, "LoRAs apply to SD 1.x and SDXL models only",
                        "LoraModelParts.family");
  }
  return parts;
}

LoraModelParts LoraModelParts::of(LoadedModel& model) {
  return standard(model.family(), model.unet(), model.clipL(),
                  model.isSdxl() ? model.openClipG() : OpenClipTextModel{nullptr});
}

torch::nn::Module* LoraModelParts::module(LoraComponent component) const {
  switch (component) {
    case LoraComponent::UNet: return unet ? unet.ptr().get() : nullptr;
    case LoraComponent::ClipL: return clipL ? clipL.ptr().get() : nullptr;
    case LoraComponent::OpenClipG: return openClipG ? openClipG.ptr().get() : nullptr;
    case LoraComponent::Invalid: break;
  }
  return nullptr;
}

const std::string& LoraModelParts::prefix(LoraComponent component) const {
  static const std::string none;
  switch (component) {
    case LoraComponent::UNet: return unetPrefix;
    case LoraComponent::ClipL: return clipLPrefix;
    case LoraComponent::OpenClipG: return openClipGPrefix;
    case LoraComponent::Invalid: break;
  }
  return none;
}

}  // namespace celerity
