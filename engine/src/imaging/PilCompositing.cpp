#include "imaging/PilCompositing.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace celerity::pil {
namespace {

// PIL's DIV255: (v + 128 + ((v + 128) >> 8)) >> 8, exact rounding of v / 255.
at::Tensor div255(const at::Tensor& v) {
  const auto t = v + 128;
  return (t + t.div(256, "floor")).div(256, "floor");
}

// Radius of one box of the three-pass approximation (Gwosdek et al.), in PIL's float maths.
float boxRadius(float radius, int passes) {
  const float sigma2 = radius * radius / static_cast<float>(passes);
  const float bigL = static_cast<float>(std::sqrt(12.0 * sigma2 + 1.0));
  const float l = static_cast<float>(std::floor((bigL - 1.0) / 2.0));
  float a = (2 * l + 1) * (l * (l + 1) - 3 * sigma2);
  a /= 6 * (sigma2 - (l + 1) * (l + 1));
  return l + a;
}

// PIL ImagingHorizontalBoxBlur along the last dimension: inner window 2r+1 pixels weighted ww,
// the two next ones weighted fw, borders repeat the edge pixel, 24-bit fixed point.
at::Tensor boxBlurLastDim(const at::Tensor& x, float floatRadius) {
  const std::int64_t r = static_cast<int>(floatRadius);
  const auto ww = static_cast<std::uint32_t>(static_cast<float>(1 << 24) /
                                             (floatRadius * 2 + 1));
  const std::uint32_t fw = ((1u << 24) - static_cast<std::uint32_t>(r * 2 + 1) * ww) / 2;
  const std::int64_t len = x.size(-1);
  const std::int64_t pad = r + 1;
  std::vector<std::int64_t> index(len + 2 * pad);
  for (std::int64_t i = 0; i < len + 2 * pad; ++i) {
    index[i] = std::min(std::max<std::int64_t>(i - pad, 0), len - 1);
  }
  const auto padded = x.index_select(-1, at::tensor(index, at::kLong).to(x.device()));
  auto sizes = padded.sizes().vec();
  sizes.back() = 1;
  const auto cumulative = at::cat({at::zeros(sizes, padded.options()), padded.cumsum(-1)}, -1);
  const auto inner = cumulative.narrow(-1, 2 * r + 2, len) - cumulative.narrow(-1, 1, len);
  const auto edges = padded.narrow(-1, 0, len) + padded.narrow(-1, 2 * r + 2, len);
  const auto bulk = inner * static_cast<std::int64_t>(ww) + edges * static_cast<std::int64_t>(fw);
  return (bulk + (1 << 23)).div(std::int64_t(1) << 24, "floor");
}

}  // namespace

at::Tensor opaque(const at::Tensor& rgb) {
  auto alpha = at::full({rgb.size(0), 1, rgb.size(2), rgb.size(3)}, 255,
                        rgb.options().dtype(at::kLong));
  return at::cat({rgb.to(at::kLong), alpha}, 1);
}

at::Tensor premultipliedPaste(const at::Tensor& rgb, const at::Tensor& alpha) {
  const auto a = alpha.to(at::kLong);
  // Paste blends every byte, alpha included: src alpha 255 over a zero canvas gives a.
  return at::cat({div255(rgb.to(at::kLong) * a), a}, 1);
}

at::Tensor unpremultiply(const at::Tensor& rgba) {
  const auto color = rgba.slice(1, 0, 3);
  const auto alpha = rgba.slice(1, 3, 4);
  const auto partial = alpha.gt(0).logical_and(alpha.lt(255));
  const auto scaled = (color * 255).div(alpha.clamp_min(1), "floor").clamp_max(255);
  return at::cat({at::where(partial, scaled, color), alpha}, 1);
}

at::Tensor alphaComposite(const at::Tensor& dst, const at::Tensor& src) {
  constexpr std::int64_t kBits = 7;
  const auto srcA = src.slice(1, 3, 4);
  const auto dstA = dst.slice(1, 3, 4);
  const auto blend = dstA * (255 - srcA);
  const auto outA255 = srcA * 255 + blend;
  const auto coef1 = (srcA * (255 * 255 * (1 << kBits))).div(outA255.clamp_min(1), "floor");
  const auto coef2 = 255 * (1 << kBits) - coef1;
  const auto color = src.slice(1, 0, 3) * coef1 + dst.slice(1, 0, 3) * coef2;
  const auto shiftDiv255 = [](const at::Tensor& v) {
    return (v.div(256, "floor") + v).div(256, "floor");
  };
  const auto outColor = shiftDiv255(color + (0x80 << kBits)).div(1 << kBits, "floor");
  const auto outAlpha = shiftDiv255(outA255 + 0x80);
  const auto composed = at::cat({outColor, outAlpha}, 1);
  return at::where(srcA.eq(0), dst, composed);
}

at::Tensor gaussianBlur(const at::Tensor& bytes, float radius) {
  if (radius == 0.0f) return bytes.clone();
  constexpr int kPasses = 3;
  const float box = boxRadius(radius, kPasses);
  auto out = bytes.to(at::kLong);
  if (box == 0.0f) return out;
  for (int i = 0; i < kPasses; ++i) out = boxBlurLastDim(out, box);
  out = out.transpose(2, 3);
  for (int i = 0; i < kPasses; ++i) out = boxBlurLastDim(out, box);
  return out.transpose(2, 3).contiguous();
}

}  // namespace celerity::pil
