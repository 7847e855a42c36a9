#include "pipeline/LoadedModel.h"

#include <future>
#include <map>

#include <c10/core/InferenceMode.h>

#include "celerity/Error.h"
#include "checkpoint/CheckpointDetector.h"
#include "io/SafetensorsFile.h"
#include "io/ShapeMap.h"
#include "models/common/Precision.h"

namespace celerity {
namespace {

const std::string kTextModel = "text_model.";

// Files opened once per load, even when several parts share one.
class FileSet {
 public:
  // Lookups of files already opened do not modify the set (parallel loading relies on it).
  const SafetensorsFile& open(const std::filesystem::path& path) {
    const auto it = files_.find(path.string());
    if (it != files_.end()) return *it->second;
    return *files_.emplace(path.string(), SafetensorsFile::open(path)).first->second;
  }
  const ShapeMap& shapes(const std::filesystem::path& path) {
    auto it = shapes_.find(path.string());
    if (it == shapes_.end()) it = shapes_.emplace(path.string(), ShapeMap::of(open(path))).first;
    return it->second;
  }

 private:
  std::map<std::string, std::shared_ptr<SafetensorsFile>> files_;
  std::map<std::string, ShapeMap> shapes_;
};

void requirePrefix(const ShapeMap& shapes, const ModelPart& part, const char* role) {
  if (part.file.empty()) {
    throw CelerityError(ErrorCode::InvalidArgument, std::string("no file given for the ") + role,
                        std::string("ModelParts.") + role);
  }
  if (!shapes.hasPrefix(part.prefix)) {
    throw CelerityError(ErrorCode::WeightMismatch,
                        std::string("no ") + role + " tensors under '" + part.prefix + "'",
                        part.file.string());
  }
}

UNetModel loadUNet(FileSet& files, const ModelPart& part, const LoadOptions& options) {
  requirePrefix(files.shapes(part.file), part, "unet");
  auto unetOptions = options;
  if (options.unetDtype) unetOptions.dtype = *options.unetDtype;
  return loadUNetModel(files.open(part.file), part.prefix, unetOptions);
}

// Builds a model from the config its weights describe, then loads those weights.
template <typename Model, typename Config>
Model loadComponent(FileSet& files, const ModelPart& part, const LoadOptions& options,
                    const char* role) {
  const auto& shapes = files.shapes(part.file);
  requirePrefix(shapes, part, role);
  Model model(Config::fromWeights(shapes, part.prefix),
              at::TensorOptions().dtype(options.dtype).device(options.device));
  loadWeights(*model, files.open(part.file), part.prefix, options);
  return model;
}

Vae loadVae(FileSet& files, const ModelPart& part, const LoadOptions& options) {
  return loadComponent<Vae, VaeConfig>(files, part, options, "vae");
}

ClipTextModel loadClip(FileSet& files, const ModelPart& part, const LoadOptions& options) {
  return loadComponent<ClipTextModel, ClipTextConfig>(files, part, options, "clipL");
}

OpenClipTextModel loadOpenClip(FileSet& files, const ModelPart& part, const LoadOptions& options) {
  return loadComponent<OpenClipTextModel, OpenClipTextConfig>(files, part, options, "openClipG");
}

// The Hugging Face CLIP prefix under a component prefix: most files nest it in text_model.
std::string hfClipPrefix(const ShapeMap& shapes, const std::string& component) {
  return shapes.hasPrefix(component + kTextModel) ? component + kTextModel : component;
}

}  // namespace

std::shared_ptr<LoadedModel> LoadedModel::fromCheckpoint(const std::filesystem::path& path,
                                                         const LoadOptions& options) {
  const auto file = SafetensorsFile::open(path);
  const auto shapes = ShapeMap::of(*file);
  const auto info = detectCheckpoint(shapes);
  namespace keys = checkpoint_keys;
  ModelParts parts;
  parts.family = info.family;
  parts.name = path.stem().string();
  parts.unet = {path, keys::kUNet};
  parts.vae = {path, keys::kVae};
  if (info.family == ModelFamily::SD1) {
    parts.clipL = {path, hfClipPrefix(shapes, keys::kSd1ClipL)};
  } else if (info.family == ModelFamily::SDXL) {
    parts.clipL = {path, hfClipPrefix(shapes, keys::kSdxlClipL)};
    parts.openClipG = {path, keys::kSdxlOpenClipG};
  } else {
    throw CelerityError(ErrorCode::UnknownModel, "not an SD 1.x or SDXL checkpoint: " + info.familyReason,
                        path.string());
  }
  if (const auto scale = file->metadataValue("scale_factor")) {
    try {
      parts.scaleFactor = std::stod(*scale);
    } catch (const std::exception&) {
      throw CelerityError(ErrorCode::MalformedFile, "metadata scale_factor is not a number: " + *scale,
                          path.string());
    }
  }
  return fromParts(parts, options);
}

std::shared_ptr<LoadedModel> LoadedModel::fromParts(const ModelParts& parts, const LoadOptions& options) {
  if (parts.family != ModelFamily::SD1 && parts.family != ModelFamily::SDXL) {
    throw CelerityError(ErrorCode::InvalidArgument, "model family must be SD1 or SDXL", "ModelParts.family");
  }
  std::shared_ptr<LoadedModel> model(new LoadedModel());
  model->family_ = parts.family;
  model->name_ = parts.name.empty() ? parts.unet.file.stem().string() : parts.name;
  model->options_ = options;
  FileSet files;
  const bool sdxl = parts.family == ModelFamily::SDXL;
  if (options.parallel) {
    // Open every file and read its shapes first: the threads below then only look them up.
    for (const auto* part : {&parts.unet, &parts.vae, &parts.clipL, &parts.openClipG}) {
      if (!part->file.empty()) files.shapes(part->file);
    }
    auto unet = std::async(std::launch::async, [&] { return loadUNet(files, parts.unet, options); });
    auto vae = std::async(std::launch::async, [&] { return loadVae(files, parts.vae, options); });
    auto clipL = std::async(std::launch::async, [&] { return loadClip(files, parts.clipL, options); });
    std::future<OpenClipTextModel> openClipG;
    if (sdxl) openClipG = std::async(std::launch::async, [&] { return loadOpenClip(files, parts.openClipG, options); });
    // get() in a fixed order rethrows the first failure; the others are still joined.
    model->unet_ = unet.get();
    model->vae_ = vae.get();
    model->clipL_ = clipL.get();
    if (sdxl) model->openClipG_ = openClipG.get();
  } else {
    model->unet_ = loadUNet(files, parts.unet, options);
    model->vae_ = loadVae(files, parts.vae, options);
    model->clipL_ = loadClip(files, parts.clipL, options);
    if (sdxl) model->openClipG_ = loadOpenClip(files, parts.openClipG, options);
  }
  model->scaleFactor_ = parts.scaleFactor.value_or(parts.family == ModelFamily::SDXL ? kScaleFactorSdxl
                                                                                     : kScaleFactorSd1);
  model->finish();
  return model;
}

void LoadedModel::finish() {
  ownVae_ = vae_;
  vae_->setScaleFactor(scaleFactor_);
  const bool unetIsSdxl = unet_->config().admInChannels > 0;
  if (unetIsSdxl != isSdxl()) {
    throw CelerityError(ErrorCode::WeightMismatch,
                        std::string("the UNet is ") + (unetIsSdxl ? "an SDXL" : "an SD 1.x") +
                            " UNet, the model was assembled as " + modelFamilyName(family_),
                        name_);
  }
  const auto contextWidth = clipL_->config().width + (openClipG_ ? openClipG_->config().width : 0);
  if (contextWidth != unet_->config().contextDim) {
    throw CelerityError(ErrorCode::WeightMismatch,
                        "text encoder width " + std::to_string(contextWidth) +
                            " differs from the UNet's context width " +
                            std::to_string(unet_->config().contextDim),
                        name_);
  }
  if (vae_->config().embedDim != unet_->config().inChannels) {
    throw CelerityError(ErrorCode::WeightMismatch,
                        "VAE latent channels " + std::to_string(vae_->config().embedDim) +
                            " differ from the UNet's input channels " +
                            std::to_string(unet_->config().inChannels),
                        name_);
  }
  unet_->eval();
  vae_->eval();
  clipL_->eval();
  if (openClipG_) openClipG_->eval();
}

std::int64_t LoadedModel::latentChannels() const { return vae_->config().embedDim; }

std::int64_t LoadedModel::spatialFactor() const { return vae_->config().spatialFactor(); }

std::int64_t LoadedModel::sizeMultiple() const {
  return spatialFactor() * (std::int64_t{1} << (unet_->config().levels() - 1));
}

DiscreteSchedule LoadedModel::schedule(SigmaTableFlavor flavor) const {
  return DiscreteSchedule::scaledLinear(flavor);
}

Vae LoadedModel::loadCompatibleVae(const std::filesystem::path& path) const {
  const auto where = path.string();
  FileSet files;  // a missing file and pickled VAEs (.pt, .ckpt) are refused there
  const auto& shapes = files.shapes(path);
  ModelPart part{path, ""};
  if (shapes.hasPrefix(checkpoint_keys::kVae)) {
    part.prefix = checkpoint_keys::kVae;
  } else if (!shapes.hasPrefix("encoder.") && !shapes.hasPrefix("decoder.")) {
    throw CelerityError(ErrorCode::WeightMismatch,
                        "not a VAE in the CompVis layout (encoder.* / decoder.* tensors; diffusers-layout "
                        "VAE files are not read, as in A1111)",
                        where);
  }
  auto vae = loadComponent<Vae, VaeConfig>(files, part, options_, "vae");
  const auto& config = vae->config();
  if (!config.hasEncoder || !config.hasDecoder) {
    throw CelerityError(ErrorCode::WeightMismatch, "a VAE needs an encoder and a decoder (this file has only one)",
                        where);
  }
  if (config.embedDim != ownVae_->config().embedDim || config.spatialFactor() != ownVae_->config().spatialFactor()) {
    throw CelerityError(ErrorCode::WeightMismatch,
                        "VAE latents (" + std::to_string(config.embedDim) + " channels, factor " +
                            std::to_string(config.spatialFactor()) + ") do not fit " + modelFamilyName(family_) +
                            " model " + name_,
                        where);
  }
  vae->setScaleFactor(scaleFactor_);
  vae->eval();
  return vae;
}

void LoadedModel::useVae(Vae vae, std::string name) {
  Vae next = vae ? vae : ownVae_;
  if (next.ptr() != vae_.ptr()) halfVae_ = Vae{nullptr};
  vae_ = next;
  vaeName_ = vae ? std::move(name) : std::string();
}

Vae& LoadedModel::halfVae() {
  if (!halfVae_) {
    const auto device = options_.device;
    Vae half(vae_->config(), at::TensorOptions().dtype(halfTypeFor(device)).device(device));
    half->setScaleFactor(scaleFactor_);
    const auto source = namedTensors(*vae_);
    std::map<std::string, at::Tensor> byName(source.begin(), source.end());
    for (auto& [name, target] : namedTensors(*half)) {
      const auto& value = byName.at(name);
      const auto dtype = value.is_floating_point() ? target.scalar_type() : value.scalar_type();
      target.set_data(value.to(device, dtype, /*non_blocking=*/false, /*copy=*/true));
    }
    halfVae_ = half;
  }
  return halfVae_;
}

}  // namespace celerity
