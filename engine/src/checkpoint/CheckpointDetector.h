#pragma once
// Tells SD 1.x, SDXL base or unknown from tensor names and shapes, and lists the components.
#include <string>

#include "celerity/CheckpointInfo.h"
#include "io/ShapeMap.h"

namespace celerity {

// Key prefixes of the original single-file layouts.
namespace checkpoint_keys {
inline const std::string kUNet = "model.diffusion_model.";
inline const std::string kVae = "first_stage_model.";
inline const std::string kSd1ClipL = "cond_stage_model.transformer.";
inline const std::string kSd2OpenClip = "cond_stage_model.model.";
inline const std::string kSdxlClipL = "conditioner.embedders.0.transformer.";
inline const std::string kSdxlOpenClipG = "conditioner.embedders.1.model.";
inline const std::string kSdxlRefinerOpenClip = "conditioner.embedders.0.model.";
inline const std::string kUNetLabelEmbedding = "model.diffusion_model.label_emb.0.0.weight";
inline const std::string kUNetFirstProjIn = "model.diffusion_model.middle_block.1.proj_in.weight";
inline const std::string kEma = "model_ema.";
}  // namespace checkpoint_keys

CheckpointInfo detectCheckpoint(const ShapeMap& shapes);

// Human-readable report, as printed by `celerity-cli inspect`.
std::string describeCheckpoint(const CheckpointInfo& info);

}  // namespace celerity
