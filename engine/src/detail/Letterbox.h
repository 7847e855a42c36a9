#pragma once
// ultralytics LetterBox (data/augment.py) for one image, as the predictor runs it: scale to
// fit `imageSize` keeping the aspect (enlarging small images too), round the size half-to-even,
// pad with grey 114 to a multiple of the stride (`minimalPadding`, LetterBox(auto=True), what
// ultralytics does for a single image and a .pt model) or to the full square.
//
// The geometry and the placement are plain C++. The resize is OpenCV's uint8 INTER_LINEAR
// (fixed-point, bit-exact with cv2.resize); a build without OpenCV throws
// CelerityError(UnsupportedFormat, "needs OpenCV") for an image that must be resized, while an
// image already at its letterboxed size (or an already-resized one) still works.
#include <ATen/ATen.h>

#include "imaging/RgbImage.h"

namespace celerity {

struct LetterboxGeometry {
  double ratio = 1.0;  // r = min(size / h, size / w)
  int resizedWidth = 0, resizedHeight = 0;  // new_unpad
  int top = 0, bottom = 0, left = 0, right = 0;
  int inputWidth = 0, inputHeight = 0;  // the network's input size
  int imageWidth = 0, imageHeight = 0;  // the original image

  bool needsResize() const { return resizedWidth != imageWidth || resizedHeight != imageHeight; }
};

constexpr std::uint8_t kLetterboxPadValue = 114;

// Throws CelerityError(InvalidArgument) for an empty image or a non-positive size/stride.
LetterboxGeometry computeLetterbox(int imageWidth, int imageHeight, int imageSize = 640,
                                   int stride = 32, bool minimalPadding = true);

// cv::resize(INTER_LINEAR) of an 8-bit RGB picture; throws UnsupportedFormat without OpenCV.
RgbImage resizeLinear(const RgbImage& image, int width, int height);

// [1, 3, inputHeight, inputWidth] float32 RGB / 255 from a picture already at
// (resizedWidth, resizedHeight), placed at (top, left) on grey 114.
at::Tensor letterboxTensorFromResized(const RgbImage& resized, const LetterboxGeometry& geometry);

// The whole LetterBox + predictor preprocess of `image` (its size must be the geometry's).
at::Tensor letterboxTensor(const RgbImage& image, const LetterboxGeometry& geometry);

// Python round(): half to even (std::nearbyint in the default rounding mode).
int roundHalfEven(double value);

}  // namespace celerity
