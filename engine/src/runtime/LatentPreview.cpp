#include "runtime/LatentPreview.h"

#include <c10/core/InferenceMode.h>

#include <cstring>
#include <string>

#include "celerity/Error.h"

namespace celerity {
namespace {

// ComfyUI comfy/latent_formats.py (SD15, SDXL): rows are latent channels, columns R, G, B.
constexpr float kSd1Factors[4][3] = {
    {0.3512f, 0.2297f, 0.3227f},
    {0.3250f, 0.4974f, 0.2350f},
    {-0.2829f, 0.1762f, 0.2721f},
    {-0.2120f, -0.2616f, -0.7177f},
};
constexpr float kSdxlFactors[4][3] = {
    {0.3651f, 0.4232f, 0.4341f},
    {-0.2533f, -0.0042f, 0.1068f},
    {0.1076f, 0.1111f, -0.0362f},
    {-0.3165f, -0.2492f, -0.2188f},
};
constexpr float kSdxlBias[3] = {0.1084f, -0.0175f, -0.0011f};
constexpr float kNoBias[3] = {0.0f, 0.0f, 0.0f};

std::string shapeText(const at::Tensor& x) {
  if (!x.defined()) return "none";
  std::string text = "[";
  for (std::int64_t i = 0; i < x.dim(); ++i) text += (i ? "," : "") + std::to_string(x.size(i));
  return text + "]";
}

// The first image of a [B, C, H, W] or [C, H, W] tensor, as [C, H, W].
at::Tensor firstImage(const at::Tensor& x, std::int64_t channels, const char* where) {
  const bool batched = x.defined() && x.dim() == 4 && x.size(0) >= 1;
  const bool single = x.defined() && x.dim() == 3;
  if (!(batched || single) || x.size(batched ? 1 : 0) != channels || x.size(-1) < 1 ||
      x.size(-2) < 1 || !x.is_floating_point()) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "expected a floating [batch, " + std::to_string(channels) +
                            ", height, width] tensor, got " + shapeText(x),
                        where);
  }
  return batched ? x[0] : x;
}

// [3, H, W] float in [0, 1] (nominally) on any device → interleaved bytes on the CPU.
RgbPreview unitToBytes(const at::Tensor& unit) {
  const auto height = unit.size(1);
  const auto width = unit.size(2);
  // NaN → 0; the cast truncates like A1111's `.to(torch.uint8)`.
  auto bytes = (at::nan_to_num(unit, 0.0).clamp(0.0, 1.0) * 255.0)
                   .to(at::kByte)
                   .permute({1, 2, 0})
                   .contiguous()
                   .to(at::kCPU);
  RgbPreview preview;
  preview.width = static_cast<int>(width);
  preview.height = static_cast<int>(height);
  preview.rgb.resize(static_cast<std::size_t>(bytes.numel()));
  std::memcpy(preview.rgb.data(), bytes.data_ptr<std::uint8_t>(), preview.rgb.size());
  return preview;
}

const float (*factorsOf(ModelFamily family))[3] {
  switch (family) {
    case ModelFamily::SD1:
      return kSd1Factors;
    case ModelFamily::SDXL:
      return kSdxlFactors;
    default:
      throw CelerityError(ErrorCode::InvalidArgument,
                          std::string("no latent→RGB factors for model family ") +
                              modelFamilyName(family),
                          "latent preview");
  }
}

}  // namespace

at::Tensor latentRgbFactors(ModelFamily family) {
  const auto* rows = factorsOf(family);
  return at::from_blob(const_cast<float*>(&rows[0][0]), {4, 3}, at::kFloat).clone();
}

at::Tensor latentRgbBias(ModelFamily family) {
  const float* bias = family == ModelFamily::SDXL ? kSdxlBias : kNoBias;
  factorsOf(family);  // same family check
  return at::from_blob(const_cast<float*>(bias), {3}, at::kFloat).clone();
}

RgbPreview projectLatentToRgb(const at::Tensor& latent, ModelFamily family) {
  c10::InferenceMode guard;
  const auto x = firstImage(latent, 4, "latent preview input");
  const auto height = x.size(1);
  const auto width = x.size(2);
  const auto device = x.device();
  // rgb[3, h·w] = factorsᵀ · latent[4, h·w] + bias: one small matmul where the latent lives.
  const auto factorsT = latentRgbFactors(family).t().to(device);
  const auto bias = latentRgbBias(family).to(device).unsqueeze(1);
  const auto rgb = at::addmm(bias, factorsT, x.to(at::kFloat).reshape({4, height * width}));
  auto preview = unitToBytes((rgb * 0.5 + 0.5).view({3, height, width}));
  preview.method = PreviewMethod::Projection;
  return preview;
}

RgbPreview signedImageToRgb(const at::Tensor& image) {
  c10::InferenceMode guard;
  const auto x = firstImage(image, 3, "preview image").to(at::kFloat);
  return unitToBytes(x * 0.5 + 0.5);
}

RgbPreview unitImageToRgb(const at::Tensor& image) {
  c10::InferenceMode guard;
  return unitToBytes(firstImage(image, 3, "preview image").to(at::kFloat));
}

}  // namespace celerity
