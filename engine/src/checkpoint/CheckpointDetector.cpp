#include "checkpoint/CheckpointDetector.h"

#include <iomanip>
#include <sstream>

namespace celerity {
namespace {

namespace keys = checkpoint_keys;

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

bool isFloatingDtype(const std::string& dtype) {
  return dtype == "F16" || dtype == "BF16" || dtype == "F32" || dtype == "F64" ||
         dtype == "F8_E4M3" || dtype == "F8_E5M2";
}

ComponentInfo summarize(const ShapeMap& shapes, ComponentKind kind, const std::string& prefix) {
  ComponentInfo component;
  component.kind = kind;
  component.prefix = prefix;
  for (const auto& [name, entry] : shapes.entries()) {
    if (!startsWith(name, prefix)) continue;
    ++component.tensorCount;
    ++component.tensorsPerDtype[entry.dtype];
    if (!isFloatingDtype(entry.dtype)) continue;
    std::int64_t elements = 1;
    for (auto d : entry.shape) elements *= d;
    component.parameterCount += elements;
  }
  return component;
}

// SD 1.x projects attention in and out with 1x1 convolutions, SD 2.x and SDXL with linears.
bool unetUsesConvProjection(const ShapeMap& shapes) {
  const auto shape = shapes.findShape(keys::kUNetFirstProjIn);
  return shape && shape->size() == 4;
}

void classify(const ShapeMap& shapes, CheckpointInfo& info) {
  const bool hasUNet = shapes.hasPrefix(keys::kUNet);
  const bool hasLabelEmbedding = shapes.contains(keys::kUNetLabelEmbedding);
  const bool hasSd1Clip = shapes.hasPrefix(keys::kSd1ClipL);
  const bool hasSdxlClipL = shapes.hasPrefix(keys::kSdxlClipL);
  const bool hasSdxlClipG = shapes.hasPrefix(keys::kSdxlOpenClipG);

  if (shapes.hasPrefix(keys::kSd2OpenClip)) {
    info.family = ModelFamily::Unknown;
    info.familyReason = "SD 2.x (OpenCLIP-H text encoder under cond_stage_model.model.) is not supported";
    return;
  }
  if (shapes.hasPrefix(keys::kSdxlRefinerOpenClip)) {
    info.family = ModelFamily::Unknown;
    info.familyReason = "SDXL refiner (OpenCLIP only, under conditioner.embedders.0.model.) is not supported";
    return;
  }
  if (hasSdxlClipL || hasSdxlClipG) {
    info.family = ModelFamily::SDXL;
    info.familyReason = "text encoders under conditioner.embedders.*";
    return;
  }
  if (hasUNet && hasLabelEmbedding && !unetUsesConvProjection(shapes)) {
    info.family = ModelFamily::SDXL;
    info.familyReason = "UNet with label_emb (pooled + size vector) and linear attention projections";
    return;
  }
  if (hasSd1Clip) {
    info.family = ModelFamily::SD1;
    info.familyReason = "CLIP-L text encoder under cond_stage_model.transformer.";
    return;
  }
  if (hasUNet && !hasLabelEmbedding && unetUsesConvProjection(shapes)) {
    info.family = ModelFamily::SD1;
    info.familyReason = "UNet with 1x1 convolution attention projections and no label_emb";
    return;
  }
  if (hasUNet) {
    info.family = ModelFamily::Unknown;
    info.familyReason = "UNet of an unsupported layout (linear projections without label_emb: SD 2.x?)";
    return;
  }
  info.family = ModelFamily::Unknown;
  info.familyReason = shapes.hasPrefix(keys::kVae)
                          ? "only a VAE (first_stage_model.*): no UNet or text encoder"
                          : "no Stable Diffusion component keys found";
}

}  // namespace

const char* modelFamilyName(ModelFamily family) {
  switch (family) {
    case ModelFamily::SD1: return "SD 1.x";
    case ModelFamily::SDXL: return "SDXL base";
    case ModelFamily::Unknown: return "unknown";
    case ModelFamily::Invalid: break;
  }
  return "invalid";
}

const char* componentKindName(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::UNet: return "UNet";
    case ComponentKind::ClipL: return "CLIP-L text encoder";
    case ComponentKind::OpenClipG: return "OpenCLIP-G text encoder";
    case ComponentKind::Vae: return "VAE";
    case ComponentKind::Invalid: break;
  }
  return "invalid";
}

const ComponentInfo* CheckpointInfo::component(ComponentKind kind) const {
  for (const auto& c : components) {
    if (c.kind == kind) return &c;
  }
  return nullptr;
}

CheckpointInfo detectCheckpoint(const ShapeMap& shapes) {
  CheckpointInfo info;
  info.source = shapes.source;
  info.tensorCount = static_cast<std::int64_t>(shapes.entries().size());
  classify(shapes, info);

  const std::pair<ComponentKind, const std::string*> candidates[] = {
      {ComponentKind::UNet, &keys::kUNet},
      {ComponentKind::ClipL, &keys::kSd1ClipL},
      {ComponentKind::ClipL, &keys::kSdxlClipL},
      {ComponentKind::OpenClipG, &keys::kSdxlOpenClipG},
      {ComponentKind::Vae, &keys::kVae},
  };
  std::int64_t inComponents = 0;
  for (const auto& [kind, prefix] : candidates) {
    if (!shapes.hasPrefix(*prefix)) continue;
    info.components.push_back(summarize(shapes, kind, *prefix));
    inComponents += info.components.back().tensorCount;
  }
  info.otherTensorCount = info.tensorCount - inComponents;
  if (shapes.hasPrefix(keys::kEma)) {
    info.notes.push_back("holds EMA weights (model_ema.*); they are not used");
  }
  if (info.family != ModelFamily::Unknown && !info.has(ComponentKind::UNet)) {
    info.notes.push_back("no UNet: this file cannot generate on its own");
  }
  return info;
}

std::string describeCheckpoint(const CheckpointInfo& info) {
  std::ostringstream out;
  out << "file:         " << info.source << '\n';
  out << "architecture: " << modelFamilyName(info.family) << " (" << info.familyReason << ")\n";
  out << "tensors:      " << info.tensorCount;
  if (info.otherTensorCount > 0) out << " (" << info.otherTensorCount << " outside the components)";
  out << '\n';
  out << "components:\n";
  if (info.components.empty()) out << "  (none)\n";
  for (const auto& c : info.components) {
    out << "  " << std::left << std::setw(24) << componentKindName(c.kind) << std::right
        << std::setw(6) << c.tensorCount << " tensors " << std::setw(14) << c.parameterCount
        << " parameters  ";
    bool first = true;
    for (const auto& [dtype, count] : c.tensorsPerDtype) {
      out << (first ? "" : ", ") << dtype << " x" << count;
      first = false;
    }
    out << "   [" << c.prefix << "*]\n";
  }
  for (const auto& note : info.notes) out << "note: " << note << '\n';
  return out.str();
}

}  // namespace celerity
