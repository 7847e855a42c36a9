#include "imaging/CropRegion.h"

#include <algorithm>

#include "celerity/Error.h"
#include "imaging/ImageConversion.h"

namespace celerity {

std::optional<CropRegion> getCropRegion(const at::Tensor& mask, int padding) {
  checkMask(mask, "getCropRegion");
  const auto used = mask[0][0].gt(0).cpu();
  const int h = static_cast<int>(used.size(0));
  const int w = static_cast<int>(used.size(1));
  const auto rows = used.any(1).nonzero();
  if (rows.numel() == 0) return std::nullopt;
  const auto cols = used.any(0).nonzero();
  CropRegion box;
  box.y1 = static_cast<int>(rows.min().item<std::int64_t>());
  box.y2 = static_cast<int>(rows.max().item<std::int64_t>()) + 1;
  box.x1 = static_cast<int>(cols.min().item<std::int64_t>());
  box.x2 = static_cast<int>(cols.max().item<std::int64_t>()) + 1;
  if (padding == 0) return box;
  return CropRegion{std::max(box.x1 - padding, 0), std::max(box.y1 - padding, 0),
                    std::min(box.x2 + padding, w), std::min(box.y2 + padding, h)};
}

CropRegion expandCropRegion(const CropRegion& region, int processingWidth, int processingHeight,
                            int imageWidth, int imageHeight) {
  if (region.width() <= 0 || region.height() <= 0 || processingWidth <= 0 ||
      processingHeight <= 0) {
    throw CelerityError(ErrorCode::InvalidArgument, "empty crop region or processing size",
                        "expandCropRegion");
  }
  int x1 = region.x1, y1 = region.y1, x2 = region.x2, y2 = region.y2;
  const double ratioCrop = static_cast<double>(x2 - x1) / (y2 - y1);
  const double ratioProcessing = static_cast<double>(processingWidth) / processingHeight;
  // Same steps as A1111, including its `>=` tests (a region touching the edge is shifted by 0).
  if (ratioCrop > ratioProcessing) {
    const double desiredHeight = (x2 - x1) / ratioProcessing;
    const int diff = static_cast<int>(desiredHeight - (y2 - y1));
    y1 -= diff / 2;
    y2 += diff - diff / 2;
    if (y2 >= imageHeight) {
      const int over = y2 - imageHeight;
      y2 -= over;
      y1 -= over;
    }
    if (y1 < 0) {
      y2 -= y1;
      y1 = 0;
    }
    if (y2 >= imageHeight) y2 = imageHeight;
  } else {
    const double desiredWidth = (y2 - y1) * ratioProcessing;
    const int diff = static_cast<int>(desiredWidth - (x2 - x1));
    x1 -= diff / 2;
    x2 += diff - diff / 2;
    if (x2 >= imageWidth) {
      const int over = x2 - imageWidth;
      x2 -= over;
      x1 -= over;
    }
    if (x1 < 0) {
      x2 -= x1;
      x1 = 0;
    }
    if (x2 >= imageWidth) x2 = imageWidth;
  }
  return CropRegion{x1, y1, x2, y2};
}

at::Tensor cropTensor(const at::Tensor& tensor, const CropRegion& region) {
  if (tensor.dim() != 4 || region.width() <= 0 || region.height() <= 0) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "expected a [N,C,H,W] tensor and a non-empty region", "cropTensor");
  }
  const int w = static_cast<int>(tensor.size(3));
  const int h = static_cast<int>(tensor.size(2));
  auto out = at::zeros({tensor.size(0), tensor.size(1), region.height(), region.width()},
                       tensor.options());
  const int x0 = std::max(region.x1, 0), y0 = std::max(region.y1, 0);
  const int x1 = std::min(region.x2, w), y1 = std::min(region.y2, h);
  if (x1 > x0 && y1 > y0) {
    out.slice(3, x0 - region.x1, x1 - region.x1)
        .slice(2, y0 - region.y1, y1 - region.y1)
        .copy_(tensor.slice(3, x0, x1).slice(2, y0, y1));
  }
  return out;
}

RgbImage cropImage(const RgbImage& image, const CropRegion& region) {
  image.validate("cropImage");
  return pixelsToImage(cropTensor(imageToPixels(image), region));
}

}  // namespace celerity
