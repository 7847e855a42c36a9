#include "runtime/PreviewRenderer.h"

#include <c10/core/InferenceMode.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "celerity/Error.h"
#include "common/Log.h"

namespace celerity {
namespace {

// [B, 4, h, w] → [1, 4, h, w]; [4, h, w] → [1, 4, h, w]. The shape is checked by the users.
at::Tensor firstLatent(const at::Tensor& denoised) {
  if (!denoised.defined() || (denoised.dim() != 4 && denoised.dim() != 3) ||
      (denoised.dim() == 4 && denoised.size(0) < 1)) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "expected a [batch, 4, height, width] latent to preview", "preview");
  }
  return denoised.dim() == 3 ? denoised.unsqueeze(0) : denoised.narrow(0, 0, 1);
}

void requireDrawing(PreviewMethod method) {
  if (method == PreviewMethod::Projection || method == PreviewMethod::Taesd ||
      method == PreviewMethod::FullVae) {
    return;
  }
  throw CelerityError(ErrorCode::InvalidArgument,
                      "no preview to render for method '" +
                          std::string(method == PreviewMethod::None ? "none" : "invalid") + "'",
                      "preview method");
}

}  // namespace

PreviewRenderer::PreviewRenderer(std::vector<std::string> vaeApproxFolders, bool fallbackToProjection)
    : folders_(std::move(vaeApproxFolders)), fallback_(fallbackToProjection) {}

void PreviewRenderer::setFolders(std::vector<std::string> vaeApproxFolders) {
  folders_ = std::move(vaeApproxFolders);
  failures_.clear();
}

void PreviewRenderer::clear() {
  decoders_.clear();
  failures_.clear();
}

TaesdDecoder& PreviewRenderer::taesd(ModelFamily family, at::ScalarType dtype, at::Device device) {
  const DecoderKey key{static_cast<int>(family), device.str(), static_cast<int>(dtype)};
  auto found = decoders_.find(key);
  if (found != decoders_.end()) return found->second;
  const auto path = requireTaesdDecoder(family, folders_);
  LoadOptions options;
  options.dtype = dtype;
  options.device = device;
  auto decoder = loadTaesdDecoder(path, options);
  engineLog()->info("TAESD preview decoder loaded from {} ({}, {})", path.string(), device.str(),
                    c10::toString(dtype));
  return decoders_.emplace(key, std::move(decoder)).first->second;
}

RgbPreview PreviewRenderer::renderTaesd(ModelFamily family, at::ScalarType dtype, at::Device device,
                                        const at::Tensor& first) {
  const auto familyKey = static_cast<int>(family);
  if (fallback_ && failures_.count(familyKey) != 0) {
    return projectLatentToRgb(first, family);
  }
  try {
    auto preview = unitImageToRgb(taesd(family, dtype, device)->decode(first));
    preview.method = PreviewMethod::Taesd;
    return preview;
  } catch (const CelerityError& error) {
    const auto code = error.code();
    const bool unavailable = code == ErrorCode::FileNotFound || code == ErrorCode::UnsafeFormat ||
                             code == ErrorCode::WeightMismatch || code == ErrorCode::MalformedFile ||
                             code == ErrorCode::FileUnreadable;
    if (!fallback_ || !unavailable) throw;
    failures_[familyKey] = error.error().toString();
    engineLog()->warn("TAESD previews unavailable, using the latent projection instead: {}",
                      failures_[familyKey]);
    return projectLatentToRgb(first, family);
  }
}

RgbPreview PreviewRenderer::render(PreviewMethod method, LoadedModel& model, const at::Tensor& denoised) {
  requireDrawing(method);
  c10::InferenceMode guard;
  const auto first = firstLatent(denoised);
  switch (method) {
    case PreviewMethod::Taesd: {
      const auto& options = model.loadOptions();
      return renderTaesd(model.family(), options.dtype, options.device, first);
    }
    case PreviewMethod::FullVae: {
      // Vae::decode checks the shape and moves the latent to the VAE's device and dtype.
      auto preview = signedImageToRgb(model.vae()->decode(first / model.scaleFactor()));
      preview.method = PreviewMethod::FullVae;
      return preview;
    }
    default:
      return projectLatentToRgb(first, model.family());
  }
}

RgbPreview PreviewRenderer::render(PreviewMethod method, ModelFamily family, const at::Tensor& denoised) {
  requireDrawing(method);
  if (method == PreviewMethod::FullVae) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "full-VAE previews need the loaded model", "preview method");
  }
  c10::InferenceMode guard;
  const auto first = firstLatent(denoised);
  if (method == PreviewMethod::Taesd) {
    return renderTaesd(family, at::kFloat, first.device(), first);
  }
  return projectLatentToRgb(first, family);
}

PreviewEvent PreviewRenderer::render(const at::Tensor& denoised, const PreviewSettings& settings,
                                     LoadedModel& model) {
  auto picture = render(settings.method, model, denoised);
  PreviewEvent event;
  event.method = picture.method;
  event.width = picture.width;
  event.height = picture.height;
  event.rgb = std::move(picture.rgb);
  return event;
}

}  // namespace celerity
