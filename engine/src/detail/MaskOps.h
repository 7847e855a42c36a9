#pragma once
// ADetailer's mask handling (adetailer/mask.py, v25.3.0), as pure functions on a plain 8-bit
// mask, in ADetailer's order: filter by box area ratio → keep the top k (by area or
// confidence) → sort → offset → dilate/erode (dropping masks that become empty) →
// merge / merge-and-invert. Plain C++ (no OpenCV): the rectangular dilate/erode equals
// cv::dilate / cv::erode with an all-ones k×k kernel, one iteration, default border.
#include <array>
#include <cstdint>
#include <vector>

#include "detail/Detector.h"

namespace celerity {

struct Mask {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // row-major, 0 or 255

  static Mask zeros(int width, int height);
  std::uint8_t& at(int x, int y) { return pixels[static_cast<std::size_t>(y) * width + x]; }
  std::uint8_t at(int x, int y) const { return pixels[static_cast<std::size_t>(y) * width + x]; }
  std::int64_t countNonZero() const;
  bool allBlack() const { return countNonZero() == 0; }
  bool operator==(const Mask& o) const { return width == o.width && height == o.height && pixels == o.pixels; }
};

// One detected region: its box (x1, y1, x2, y2 image pixels), score, class and mask.
struct DetailRegion {
  std::array<float, 4> box{};
  float score = 0;
  std::int64_t classId = 0;
  Mask mask;

  double boxArea() const { return (box[2] - box[0]) * static_cast<double>(box[3] - box[1]); }
};

enum class MaskSortOrder { None = 0, LeftToRight, CenterToEdge, AreaDescending };
enum class TopKBy { Area = 0, Confidence };
enum class MaskMergeMode { None = 0, Merge, MergeInvert };

// ADetailer create_mask_from_bbox (PIL rectangle fill): columns int(x1) … int(x2) and rows
// int(y1) … int(y2), both ends included, clipped to the image.
Mask maskFromBox(const std::array<float, 4>& box, int width, int height);

// Regions of a detector's result: its masks when it has them, else its boxes as rectangles.
std::vector<DetailRegion> regionsFromDetections(const Detections& detections);

// Keeps boxes with low ≤ area / (W·H) ≤ high (ADetailer filter_by_ratio).
std::vector<DetailRegion> filterByAreaRatio(std::vector<DetailRegion> regions, double low,
                                            double high, int imageWidth, int imageHeight);
// The k largest (box area) or most confident, largest first; k ≤ 0 keeps all (filter_k_by).
std::vector<DetailRegion> keepTopK(std::vector<DetailRegion> regions, int k, TopKBy by);
// ADetailer sort_bboxes: left edge ascending, distance of the box centre from the image centre
// ascending, or box area descending. None keeps the detector's order (score descending).
std::vector<DetailRegion> sortRegions(std::vector<DetailRegion> regions, MaskSortOrder order,
                                      int imageWidth, int imageHeight);

// Moves the mask by x to the right and y UP (ADetailer's convention), filling with 0.
Mask offsetMask(const Mask& mask, int x, int y);
// value > 0 dilates, value < 0 erodes with a |value|×|value| square; 0 returns the mask.
Mask dilateErode(const Mask& mask, int value);
Mask mergeMasks(const std::vector<Mask>& masks);  // pixel-wise OR; masks must share a size
Mask invertMask(const Mask& mask);
std::vector<Mask> mergeInvert(std::vector<Mask> masks, MaskMergeMode mode);

// ADetailer mask_preprocess: offset, dilate/erode (then drop all-black masks), merge/invert.
std::vector<Mask> preprocessMasks(std::vector<Mask> masks, int dilateErodeValue, int xOffset,
                                  int yOffset, MaskMergeMode mode);

}  // namespace celerity
