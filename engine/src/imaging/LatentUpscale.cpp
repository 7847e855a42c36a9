#include "imaging/LatentUpscale.h"

#include <torch/nn/functional/upsampling.h>

#include "celerity/Error.h"

namespace celerity {
namespace {

namespace F = torch::nn::functional;

struct ModeEntry {
  LatentUpscaleMode mode;
  const char* name;
};
constexpr ModeEntry kModes[] = {
    {LatentUpscaleMode::Latent, "Latent"},
    {LatentUpscaleMode::LatentAntialiased, "Latent (antialiased)"},
    {LatentUpscaleMode::LatentBicubic, "Latent (bicubic)"},
    {LatentUpscaleMode::LatentBicubicAntialiased, "Latent (bicubic antialiased)"},
    {LatentUpscaleMode::LatentNearest, "Latent (nearest)"},
    {LatentUpscaleMode::LatentNearestExact, "Latent (nearest-exact)"},
};

F::InterpolateFuncOptions optionsFor(LatentUpscaleMode mode) {
  F::InterpolateFuncOptions options;
  switch (mode) {
    case LatentUpscaleMode::Latent:
      return options.mode(torch::kBilinear).align_corners(false).antialias(false);
    case LatentUpscaleMode::LatentAntialiased:
      return options.mode(torch::kBilinear).align_corners(false).antialias(true);
    case LatentUpscaleMode::LatentBicubic:
      return options.mode(torch::kBicubic).align_corners(false).antialias(false);
    case LatentUpscaleMode::LatentBicubicAntialiased:
      return options.mode(torch::kBicubic).align_corners(false).antialias(true);
    case LatentUpscaleMode::LatentNearest:
      return options.mode(torch::kNearest);
    case LatentUpscaleMode::LatentNearestExact:
      return options.mode(torch::kNearestExact);
  }
  return options.mode(torch::kBilinear).align_corners(false);
}

at::Tensor interpolateTo(const at::Tensor& latent, int width, int height, int factor,
                         F::InterpolateFuncOptions options, const char* where) {
  if (!latent.defined() || latent.dim() != 4 || !at::isFloatingType(latent.scalar_type())) {
    throw CelerityError(ErrorCode::InvalidArgument, "expected a float latent [N,C,h,w]", where);
  }
  if (factor <= 0 || width / factor <= 0 || height / factor <= 0) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "target " + std::to_string(width) + "x" + std::to_string(height) +
                            " is smaller than one latent pixel",
                        where);
  }
  const std::vector<std::int64_t> size{height / factor, width / factor};
  if (c10::get_if<torch::enumtype::kNearestExact>(&options.mode())) {
    // The same kernel F::interpolate calls; called directly because LibTorch 1.13's C++
    // interpolate warns about align_corners for this mode, which cannot take it.
    return at::_upsample_nearest_exact2d(latent, size);
  }
  options.size(size);
  return F::interpolate(latent, options);
}

}  // namespace

const char* latentUpscaleModeName(LatentUpscaleMode mode) {
  for (const auto& entry : kModes) {
    if (entry.mode == mode) return entry.name;
  }
  return "Latent";
}

std::optional<LatentUpscaleMode> latentUpscaleModeFromName(const std::string& name) {
  for (const auto& entry : kModes) {
    if (name == entry.name) return entry.mode;
  }
  return std::nullopt;
}

const std::vector<LatentUpscaleMode>& latentUpscaleModes() {
  static const std::vector<LatentUpscaleMode> modes = [] {
    std::vector<LatentUpscaleMode> all;
    for (const auto& entry : kModes) all.push_back(entry.mode);
    return all;
  }();
  return modes;
}

at::Tensor upscaleLatent(const at::Tensor& latent, int targetWidth, int targetHeight,
                         LatentUpscaleMode mode, int factor) {
  return interpolateTo(latent, targetWidth, targetHeight, factor, optionsFor(mode),
                       "upscaleLatent");
}

at::Tensor resizeInitLatent(const at::Tensor& latent, int width, int height, int factor) {
  auto options = F::InterpolateFuncOptions().mode(torch::kBilinear).align_corners(false);
  return interpolateTo(latent, width, height, factor, options, "resizeInitLatent");
}

}  // namespace celerity
