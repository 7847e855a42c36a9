#pragma once
// A diffusion model ready to run: UNet, VAE and text encoder(s) built from the weights' own
// shapes and loaded, plus what the weights do not say (the latent scale factor, the noise
// schedule). Made from one single-file checkpoint (SD 1.x or SDXL, detected from its keys),
// or assembled from components of several files.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "celerity/CheckpointInfo.h"
#include "models/clip/ClipTextModel.h"
#include "models/clip/OpenClipTextModel.h"
#include "models/common/WeightLoader.h"
#include "models/unet/UNetModel.h"
#include "models/vae/Vae.h"
#include "sampling/DiscreteSchedule.h"

namespace celerity {

// One component: the file and the key prefix it lives under there (e.g. CLIP-L of an SD 1.x
// file assembled into an SDXL model: "cond_stage_model.transformer.text_model.").
struct ModelPart {
  std::filesystem::path file;
  std::string prefix;
};

struct ModelParts {
  ModelFamily family = ModelFamily::Invalid;
  ModelPart unet;
  ModelPart vae;
  ModelPart clipL;      // SD 1.x: the only text encoder; SDXL: embedder 0
  ModelPart openClipG;  // SDXL only: embedder 1 (open_clip layout)
  std::optional<double> scaleFactor;  // default: the family's (not the VAE file's metadata)
  std::string name;                   // shown in logs and infotext ("Model")
};

class LoadedModel {
 public:
  static constexpr double kScaleFactorSd1 = 0.18215;
  static constexpr double kScaleFactorSdxl = 0.13025;

  // Detects the family from the keys; SD 2.x, refiners and unknown layouts are refused with
  // UnknownModel. The scale factor is the file's metadata `scale_factor`, else the family's.
  static std::shared_ptr<LoadedModel> fromCheckpoint(const std::filesystem::path& path,
                                                     const LoadOptions& options = {});
  static std::shared_ptr<LoadedModel> fromParts(const ModelParts& parts, const LoadOptions& options = {});

  ModelFamily family() const { return family_; }
  bool isSdxl() const { return family_ == ModelFamily::SDXL; }
  const std::string& name() const { return name_; }
  const LoadOptions& loadOptions() const { return options_; }

  UNetModel& unet() { return unet_; }
  // The VAE images are encoded and decoded with: the checkpoint's own, or the standalone one
  // `useVae` put in its place.
  Vae& vae() { return vae_; }
  // A half-precision copy of the VAE (`vae.half`), made on first use and kept; the fp32 VAE
  // stays for the retry when half precision overflows.
  Vae& halfVae();
  // A standalone VAE file (A1111's "SD VAE", ADetailer's "use separate VAE") built for this
  // model: the CompVis layout, at the top level or under "first_stage_model." (a full
  // checkpoint's VAE), with an encoder and a decoder whose latents fit this UNet. Throws
  // CelerityError naming the file (FileNotFound, MalformedFile, WeightMismatch).
  Vae loadCompatibleVae(const std::filesystem::path& path) const;
  // Makes `vae` (from loadCompatibleVae) the one used, named `name` in logs; a null module
  // puts the checkpoint's own back. The half-precision copy follows.
  void useVae(Vae vae, std::string name);
  // The standalone VAE in use ("" for the checkpoint's own).
  const std::string& vaeName() const { return vaeName_; }
  ClipTextModel& clipL() { return clipL_; }
  OpenClipTextModel& openClipG() { return openClipG_; }  // null module for SD 1.x

  double scaleFactor() const { return scaleFactor_; }
  std::int64_t latentChannels() const;
  std::int64_t spatialFactor() const;  // pixels per latent pixel (8)
  // Image sides must be multiples of this: the VAE factor times the UNet's downsampling
  // (64 for SD 1.x, 32 for SDXL).
  std::int64_t sizeMultiple() const;

  // The model's discrete noise schedule (every SD 1.x / SDXL model uses the scaled-linear
  // betas) in the rounding of the implementation being followed.
  DiscreteSchedule schedule(SigmaTableFlavor flavor) const;

 private:
  LoadedModel() = default;
  void finish();

  ModelFamily family_ = ModelFamily::Invalid;
  std::string name_;
  LoadOptions options_;
  UNetModel unet_{nullptr};
  Vae vae_{nullptr};      // in use
  Vae ownVae_{nullptr};   // the checkpoint's
  std::string vaeName_;   // of a standalone VAE in use
  Vae halfVae_{nullptr};
  ClipTextModel clipL_{nullptr};
  OpenClipTextModel openClipG_{nullptr};
  double scaleFactor_ = kScaleFactorSd1;
};

}  // namespace celerity
