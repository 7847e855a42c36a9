#include "detail/Letterbox.h"

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <cstring>

#include "celerity/Error.h"

#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#endif

namespace celerity {

int roundHalfEven(double value) {
  const int previous = std::fegetround();
  if (previous != FE_TONEAREST) std::fesetround(FE_TONEAREST);
  const double rounded = std::nearbyint(value);
  if (previous != FE_TONEAREST) std::fesetround(previous);
  return static_cast<int>(rounded);
}

LetterboxGeometry computeLetterbox(int imageWidth, int imageHeight, int imageSize, int stride,
                                   bool minimalPadding) {
  if (imageWidth <= 0 || imageHeight <= 0 || imageSize <= 0 || stride <= 0) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "letterbox needs a non-empty image and a positive size and stride",
                        "letterbox");
  }
  LetterboxGeometry g;
  g.imageWidth = imageWidth;
  g.imageHeight = imageHeight;
  g.ratio = std::min(static_cast<double>(imageSize) / imageHeight,
                     static_cast<double>(imageSize) / imageWidth);
  g.resizedWidth = roundHalfEven(imageWidth * g.ratio);
  g.resizedHeight = roundHalfEven(imageHeight * g.ratio);
  int padW = imageSize - g.resizedWidth;
  int padH = imageSize - g.resizedHeight;
  if (minimalPadding) {  // np.mod: the pads are never negative here
    padW %= stride;
    padH %= stride;
  }
  const double dw = padW / 2.0;
  const double dh = padH / 2.0;
  g.top = roundHalfEven(dh - 0.1);
  g.bottom = roundHalfEven(dh + 0.1);
  g.left = roundHalfEven(dw - 0.1);
  g.right = roundHalfEven(dw + 0.1);
  g.inputWidth = g.resizedWidth + g.left + g.right;
  g.inputHeight = g.resizedHeight + g.top + g.bottom;
  return g;
}

RgbImage resizeLinear(const RgbImage& image, int width, int height) {
  image.validate("resizeLinear");
  if (width <= 0 || height <= 0) {
    throw CelerityError(ErrorCode::InvalidArgument, "resize to an empty size", "resizeLinear");
  }
#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV
  const cv::Mat source(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.pixels.data()));
  RgbImage resized(width, height);
  cv::Mat target(height, width, CV_8UC3, resized.pixels.data());
  cv::resize(source, target, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
  if (target.data != resized.pixels.data()) {
    throw CelerityError(ErrorCode::Internal, "cv::resize reallocated its output", "resizeLinear");
  }
  return resized;
#else
  throw CelerityError(ErrorCode::UnsupportedFormat,
                      "resizing an image for the detector needs OpenCV (this build has none)",
                      "resizeLinear");
#endif
}

at::Tensor letterboxTensorFromResized(const RgbImage& resized, const LetterboxGeometry& g) {
  resized.validate("letterbox");
  if (resized.width != g.resizedWidth || resized.height != g.resizedHeight) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "picture is " + std::to_string(resized.width) + "x" +
                            std::to_string(resized.height) + ", letterbox expects " +
                            std::to_string(g.resizedWidth) + "x" + std::to_string(g.resizedHeight),
                        "letterbox");
  }
  auto canvas = at::full({g.inputHeight, g.inputWidth, 3}, kLetterboxPadValue, at::kByte);
  const auto pixels = at::from_blob(const_cast<std::uint8_t*>(resized.pixels.data()),
                                    {resized.height, resized.width, 3}, at::kByte);
  canvas.narrow(0, g.top, g.resizedHeight).narrow(1, g.left, g.resizedWidth).copy_(pixels);
  // predictor.preprocess: HWC → CHW, .float(), /= 255.
  auto input = canvas.permute({2, 0, 1}).unsqueeze(0).contiguous().to(at::kFloat);
  return input.div_(255);
}

at::Tensor letterboxTensor(const RgbImage& image, const LetterboxGeometry& g) {
  if (image.width != g.imageWidth || image.height != g.imageHeight) {
    throw CelerityError(ErrorCode::InvalidArgument, "image size differs from the letterbox geometry",
                        "letterbox");
  }
  if (!g.needsResize()) return letterboxTensorFromResized(image, g);
  return letterboxTensorFromResized(resizeLinear(image, g.resizedWidth, g.resizedHeight), g);
}

}  // namespace celerity
