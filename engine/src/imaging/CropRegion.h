#pragma once
// "Inpaint area: Only masked": the rectangle around the mask that is cut out, processed at the
// generation size and pasted back (A1111 `modules/masking.py`).
#include <optional>

#include <ATen/ATen.h>

#include "imaging/RgbImage.h"

namespace celerity {

// Half-open pixel rectangle [x1, x2) x [y1, y2], A1111's (x1, y1, x2, y2) tuple.
struct CropRegion {
  int x1 = 0;
  int y1 = 0;
  int x2 = 0;
  int y2 = 0;

  int width() const { return x2 - x1; }
  int height() const { return y2 - y1; }
  bool operator==(const CropRegion& o) const {
    return x1 == o.x1 && y1 == o.y1 && x2 == o.x2 && y2 == o.y2;
  }
  bool operator!=(const CropRegion& o) const { return !(*this == o); }
};

// `masking.get_crop_region_v2(mask, pad)`: the bounding box of mask > 0 (first batch entry of a
// [N,1,H,W] mask), grown by `padding` on every side and clamped to the picture; nullopt for a
// blank mask (A1111 then falls back to plain img2img).
std::optional<CropRegion> getCropRegion(const at::Tensor& mask, int padding);

// `masking.expand_crop_region`: grows the region (on the short side, centred, shifted back
// inside the picture) so that it has the aspect ratio of the processing size.
CropRegion expandCropRegion(const CropRegion& region, int processingWidth, int processingHeight,
                            int imageWidth, int imageHeight);

// PIL `crop(region)`: parts outside the picture come out black (0).
RgbImage cropImage(const RgbImage& image, const CropRegion& region);
// The same for [N,C,H,W] tensors (masks or pixel tensors).
at::Tensor cropTensor(const at::Tensor& tensor, const CropRegion& region);

}  // namespace celerity
