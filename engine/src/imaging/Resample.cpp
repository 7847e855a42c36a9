#include "imaging/Resample.h"

#include <cmath>
#include <vector>

#include "celerity/Error.h"
#include "imaging/ImageConversion.h"

namespace celerity {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;  // PIL's fixed point for 8-bit data

double sinc(double x) {
  if (x == 0.0) return 1.0;
  x *= M_PI;
  return std::sin(x) / x;
}

double filterSupport(ResampleFilter filter) {
  switch (filter) {
    case ResampleFilter::Bilinear: return 1.0;
    case ResampleFilter::Bicubic: return 2.0;
    case ResampleFilter::Lanczos: return 3.0;
  }
  return 3.0;
}

double filterValue(ResampleFilter filter, double x) {
  switch (filter) {
    case ResampleFilter::Bilinear:
      x = std::abs(x);
      return x < 1.0 ? 1.0 - x : 0.0;
    case ResampleFilter::Bicubic: {
      constexpr double a = -0.5;
      x = std::abs(x);
      if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
      if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
      return 0.0;
    }
    case ResampleFilter::Lanczos:
      return (-3.0 <= x && x < 3.0) ? sinc(x) * sinc(x / 3) : 0.0;
  }
  return 0.0;
}

// The taps of one pass: for tap k and output o, source index index[k][o] with weight
// weights[k][o] (zero past the end of a window). Mirrors PIL's precompute_coeffs.
struct Taps {
  std::int64_t count = 0;         // taps per output
  std::vector<std::int64_t> index;  // count * outSize, tap-major
  std::vector<double> weights;      // count * outSize, normalised
};

Taps precomputeTaps(std::int64_t inSize, double in0, double in1, std::int64_t outSize,
                    ResampleFilter filter) {
  const double scale = (in1 - in0) / static_cast<double>(outSize);
  const double filterScale = scale < 1.0 ? 1.0 : scale;
  const double support = filterSupport(filter) * filterScale;
  Taps taps;
  taps.count = static_cast<std::int64_t>(std::ceil(support)) * 2 + 1;
  taps.index.assign(taps.count * outSize, 0);
  taps.weights.assign(taps.count * outSize, 0.0);
  std::vector<double> w(taps.count);
  for (std::int64_t o = 0; o < outSize; ++o) {
    const double center = in0 + (static_cast<double>(o) + 0.5) * scale;
    // C casts truncate toward zero, as in PIL.
    std::int64_t xmin = static_cast<std::int64_t>(static_cast<int>(center - support + 0.5));
    if (xmin < 0) xmin = 0;
    std::int64_t xmax = static_cast<std::int64_t>(static_cast<int>(center + support + 0.5));
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    if (xmax > taps.count) xmax = taps.count;
    double total = 0.0;
    for (std::int64_t k = 0; k < xmax; ++k) {
      w[k] = filterValue(filter, (static_cast<double>(k + xmin) - center + 0.5) / filterScale);
      total += w[k];
    }
    for (std::int64_t k = 0; k < taps.count; ++k) {
      const bool used = k < xmax;
      taps.index[k * outSize + o] = used ? xmin + k : std::min(xmin, inSize - 1);
      taps.weights[k * outSize + o] = used ? (total != 0.0 ? w[k] / total : w[k]) : 0.0;
    }
  }
  return taps;
}

// One separable pass along `dim` (2 = rows/height, 3 = columns/width).
at::Tensor applyTaps(const at::Tensor& x, std::int64_t dim, const Taps& taps, std::int64_t outSize,
                     bool eightBit) {
  const auto device = x.device();
  const auto index = at::tensor(taps.index, at::kLong).view({taps.count, outSize}).to(device);
  at::Tensor weights;
  at::Tensor source;
  if (eightBit) {
    std::vector<std::int64_t> fixed(taps.weights.size());
    for (std::size_t i = 0; i < fixed.size(); ++i) {
      const double v = taps.weights[i] * static_cast<double>(1 << kPrecisionBits);
      fixed[i] = static_cast<std::int64_t>(static_cast<int>(v < 0 ? v - 0.5 : v + 0.5));
    }
    weights = at::tensor(fixed, at::kLong);
    source = x.to(at::kLong);
  } else {
    weights = at::tensor(taps.weights, at::kDouble).to(x.scalar_type());
    source = x;
  }
  weights = weights.view({taps.count, outSize}).to(device);
  std::vector<std::int64_t> shape(4, 1);
  shape[dim] = outSize;
  at::Tensor acc;
  for (std::int64_t k = 0; k < taps.count; ++k) {
    auto term = source.index_select(dim, index[k]) * weights[k].view(shape);
    acc = acc.defined() ? acc.add_(term) : term;
  }
  if (!eightBit) return acc;
  acc.add_(std::int64_t(1) << (kPrecisionBits - 1));
  return acc.div(std::int64_t(1) << kPrecisionBits, "floor").clamp_(0, 255).to(x.scalar_type());
}

}  // namespace

at::Tensor resamplePixels(const at::Tensor& pixels, std::int64_t width, std::int64_t height,
                          ResampleFilter filter, const std::optional<ResampleBox>& box,
                          bool eightBit) {
  if (!pixels.defined() || pixels.dim() != 4 || !at::isFloatingType(pixels.scalar_type())) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "expected a float [N,C,H,W] tensor", "resamplePixels");
  }
  const std::int64_t inH = pixels.size(2);
  const std::int64_t inW = pixels.size(3);
  if (width <= 0 || height <= 0 || inW <= 0 || inH <= 0) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "cannot resize " + std::to_string(inW) + "x" + std::to_string(inH) +
                            " to " + std::to_string(width) + "x" + std::to_string(height),
                        "resamplePixels");
  }
  const ResampleBox b = box.value_or(ResampleBox{0, 0, double(inW), double(inH)});
  if (b.x0 < 0 || b.y0 < 0 || b.x1 > inW || b.y1 > inH || b.x1 < b.x0 || b.y1 < b.y0) {
    throw CelerityError(ErrorCode::InvalidArgument, "resample box is out of range",
                        "resamplePixels");
  }
  // PIL skips a pass that would copy.
  const bool horizontal = width != inW || b.x0 != 0 || b.x1 != width;
  const bool vertical = height != inH || b.y0 != 0 || b.y1 != height;
  at::Tensor out = eightBit ? pixels.round().clamp(0, 255) : pixels;
  if (horizontal) {
    out = applyTaps(out, 3, precomputeTaps(inW, b.x0, b.x1, width, filter), width, eightBit);
  }
  if (vertical) {
    out = applyTaps(out, 2, precomputeTaps(inH, b.y0, b.y1, height, filter), height, eightBit);
  }
  return (horizontal || vertical) ? out : out.clone();
}

RgbImage resampleImage(const RgbImage& image, int width, int height, ResampleFilter filter) {
  image.validate("resampleImage");
  if (width == image.width && height == image.height) return image;
  return pixelsToImage(resamplePixels(imageToPixels(image), width, height, filter));
}

}  // namespace celerity
