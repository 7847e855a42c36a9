#include "imaging/ResizeModes.h"

#include <algorithm>
#include <cmath>

#include "celerity/Error.h"
#include "imaging/ImageConversion.h"
#include "imaging/Resample.h"

namespace celerity {
namespace {

struct ModeName {
  ResizeMode mode;
  const char* name;
};
constexpr ModeName kModeNames[] = {
    {ResizeMode::JustResize, "Just resize"},
    {ResizeMode::CropAndResize, "Crop and resize"},
    {ResizeMode::ResizeAndFill, "Resize and fill"},
    {ResizeMode::LatentUpscale, "Just resize (latent upscale)"},
};

at::Tensor lanczos(const at::Tensor& pixels, std::int64_t width, std::int64_t height) {
  if (pixels.size(3) == width && pixels.size(2) == height) return pixels.clone();  // PIL copies
  return resamplePixels(pixels, width, height, ResampleFilter::Lanczos, std::nullopt, true);
}

// A1111 resizes the edge strips without naming a filter, so PIL's default (BICUBIC) applies.
at::Tensor edgeStrip(const at::Tensor& pixels, std::int64_t width, std::int64_t height,
                     const ResampleBox& box) {
  return resamplePixels(pixels, width, height, ResampleFilter::Bicubic, box, true);
}

// PIL `canvas.paste(source, box=(x, y))`: copies the overlap, source may stick out anywhere.
void paste(at::Tensor& canvas, const at::Tensor& source, std::int64_t x, std::int64_t y) {
  const std::int64_t cw = canvas.size(3), ch = canvas.size(2);
  const std::int64_t sw = source.size(3), sh = source.size(2);
  const std::int64_t x0 = std::max<std::int64_t>(x, 0), y0 = std::max<std::int64_t>(y, 0);
  const std::int64_t x1 = std::min(cw, x + sw), y1 = std::min(ch, y + sh);
  if (x1 <= x0 || y1 <= y0) return;
  canvas.slice(3, x0, x1).slice(2, y0, y1).copy_(
      source.slice(3, x0 - x, x1 - x).slice(2, y0 - y, y1 - y));
}

// Python's floor division, for the offsets that may be negative.
std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

void checkTarget(int width, int height, const char* where) {
  if (width <= 0 || height <= 0) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "target size must be positive, got " + std::to_string(width) + "x" +
                            std::to_string(height),
                        where);
  }
}

}  // namespace

const char* resizeModeName(ResizeMode mode) {
  for (const auto& entry : kModeNames) {
    if (entry.mode == mode) return entry.name;
  }
  return "Just resize";
}

std::optional<ResizeMode> resizeModeFromName(const std::string& name) {
  for (const auto& entry : kModeNames) {
    if (name == entry.name) return entry.mode;
  }
  return std::nullopt;
}

at::Tensor resizePixels(ResizeMode mode, const at::Tensor& pixels, int width, int height) {
  checkTarget(width, height, "resizePixels");
  if (pixels.dim() != 4) {
    throw CelerityError(ErrorCode::InvalidArgument, "expected [N,C,H,W] pixels", "resizePixels");
  }
  const std::int64_t imW = pixels.size(3), imH = pixels.size(2);
  if (mode == ResizeMode::JustResize) return lanczos(pixels, width, height);

  const double ratio = static_cast<double>(width) / height;
  const double srcRatio = static_cast<double>(imW) / imH;
  std::int64_t srcW = 0, srcH = 0;
  if (mode == ResizeMode::CropAndResize) {
    srcW = ratio > srcRatio ? width : imW * height / imH;
    srcH = ratio <= srcRatio ? height : imH * width / imW;
  } else {
    srcW = ratio < srcRatio ? width : imW * height / imH;
    srcH = ratio >= srcRatio ? height : imH * width / imW;
  }
  // A degenerate aspect (1-pixel side) can floor a side to 0; PIL would refuse it too.
  srcW = std::max<std::int64_t>(srcW, 1);
  srcH = std::max<std::int64_t>(srcH, 1);
  const auto resized = lanczos(pixels, srcW, srcH);
  auto out = at::zeros({pixels.size(0), pixels.size(1), height, width}, pixels.options());
  const std::int64_t offX = floorDiv(width, 2) - floorDiv(srcW, 2);
  const std::int64_t offY = floorDiv(height, 2) - floorDiv(srcH, 2);
  paste(out, resized, offX, offY);
  if (mode == ResizeMode::CropAndResize) return out;

  // Resize and fill: the bands beside the picture are PIL resizes of a 0-wide box on the edge,
  // i.e. bicubic-weighted blends of the two outermost rows/columns (1.125 and -0.125),
  // stretched over the band.
  if (ratio < srcRatio) {
    const std::int64_t fillHeight = floorDiv(height, 2) - floorDiv(srcH, 2);
    if (fillHeight > 0) {
      const double w = static_cast<double>(width), h = static_cast<double>(srcH);
      paste(out, edgeStrip(resized, width, fillHeight, ResampleBox{0, 0, w, 0}), 0, 0);
      paste(out, edgeStrip(resized, width, fillHeight, ResampleBox{0, h, w, h}), 0,
            fillHeight + srcH);
    }
  } else if (ratio > srcRatio) {
    const std::int64_t fillWidth = floorDiv(width, 2) - floorDiv(srcW, 2);
    if (fillWidth > 0) {
      const double w = static_cast<double>(srcW), h = static_cast<double>(height);
      paste(out, edgeStrip(resized, fillWidth, height, ResampleBox{0, 0, 0, h}), 0, 0);
      paste(out, edgeStrip(resized, fillWidth, height, ResampleBox{w, 0, w, h}),
            fillWidth + srcW, 0);
    }
  }
  return out;
}

RgbImage resizeImage(ResizeMode mode, const RgbImage& image, int width, int height) {
  image.validate("resizeImage");
  return pixelsToImage(resizePixels(mode, imageToPixels(image), width, height));
}

at::Tensor resizeMask(ResizeMode mode, const at::Tensor& mask, int width, int height) {
  checkMask(mask, "resizeMask");
  return bytesToMask(resizePixels(mode, maskToBytes(mask), width, height)).to(mask.dtype());
}

RgbImage resizeInitImage(ResizeMode mode, const RgbImage& image, int width, int height) {
  if (mode == ResizeMode::LatentUpscale) return image;
  return resizeImage(mode, image, width, height);
}

RgbImage upscaleImage(const RgbImage& image, double scale) {
  image.validate("upscaleImage");
  const int w = static_cast<int>(image.width * scale);
  const int h = static_cast<int>(image.height * scale);
  checkTarget(w, h, "upscaleImage");
  return resampleImage(image, w, h, ResampleFilter::Lanczos);
}

RgbImage upscaleImageTo(const RgbImage& image, int width, int height) {
  image.validate("upscaleImageTo");
  checkTarget(width, height, "upscaleImageTo");
  RgbImage im = image;
  const double scale = std::max(static_cast<double>(width) / im.width,
                                static_cast<double>(height) / im.height);
  if (scale > 1.0) {
    // modules/upscaler.py `Upscaler.upscale`: repeat the upscaler until the picture covers the
    // multiple-of-8 destination (at most 3 times), then resize to that destination.
    const int destW = static_cast<int>(std::floor(im.width * scale / 8) * 8);
    const int destH = static_cast<int>(std::floor(im.height * scale / 8) * 8);
    for (int i = 0; i < 3; ++i) {
      if (im.width >= destW && im.height >= destH && (i > 0 || scale != 1)) break;
      const int beforeW = im.width, beforeH = im.height;
      im = upscaleImage(im, scale);
      if (im.width == beforeW && im.height == beforeH) break;
    }
    if ((im.width != destW || im.height != destH) && destW > 0 && destH > 0) {
      im = resampleImage(im, destW, destH, ResampleFilter::Lanczos);
    }
  }
  if (im.width != width || im.height != height) {
    im = resampleImage(im, width, height, ResampleFilter::Lanczos);
  }
  return im;
}

}  // namespace celerity
