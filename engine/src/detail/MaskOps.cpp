#include "detail/MaskOps.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "celerity/Error.h"

namespace celerity {
namespace {

template <typename Key>
std::vector<DetailRegion> reorder(std::vector<DetailRegion> regions, Key key) {
  std::vector<std::size_t> index(regions.size());
  std::iota(index.begin(), index.end(), 0);
  std::stable_sort(index.begin(), index.end(),
                   [&](std::size_t a, std::size_t b) { return key(regions[a]) < key(regions[b]); });
  std::vector<DetailRegion> sorted;
  sorted.reserve(regions.size());
  for (std::size_t i : index) sorted.push_back(std::move(regions[i]));
  return sorted;
}

// Max (dilate) or min (erode) over a k×k window anchored at k/2, ignoring pixels outside the
// image (OpenCV's default border for morphology). Separable: rows, then columns.
Mask morphology(const Mask& mask, int k, bool dilate) {
  const int anchor = k / 2;
  auto pass = [&](const Mask& in, bool horizontal) {
    Mask out = Mask::zeros(in.width, in.height);
    for (int y = 0; y < in.height; ++y) {
      for (int x = 0; x < in.width; ++x) {
        std::uint8_t value = dilate ? 0 : 255;
        for (int d = -anchor; d < k - anchor; ++d) {
          const int sx = horizontal ? x + d : x;
          const int sy = horizontal ? y : y + d;
          if (sx < 0 || sy < 0 || sx >= in.width || sy >= in.height) continue;
          value = dilate ? std::max(value, in.at(sx, sy)) : std::min(value, in.at(sx, sy));
        }
        out.at(x, y) = value;
      }
    }
    return out;
  };
  return pass(pass(mask, true), false);
}

}  // namespace

Mask Mask::zeros(int width, int height) {
  Mask m;
  m.width = width;
  m.height = height;
  m.pixels.assign(static_cast<std::size_t>(std::max(width, 0)) * std::max(height, 0), 0);
  return m;
}

std::int64_t Mask::countNonZero() const {
  return std::count_if(pixels.begin(), pixels.end(), [](std::uint8_t v) { return v != 0; });
}

Mask maskFromBox(const std::array<float, 4>& box, int width, int height) {
  Mask mask = Mask::zeros(width, height);
  const int x0 = std::max(0, static_cast<int>(box[0]));
  const int y0 = std::max(0, static_cast<int>(box[1]));
  const int x1 = std::min(width - 1, static_cast<int>(box[2]));
  const int y1 = std::min(height - 1, static_cast<int>(box[3]));
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) mask.at(x, y) = 255;
  }
  return mask;
}

std::vector<DetailRegion> regionsFromDetections(const Detections& d) {
  std::vector<DetailRegion> regions;
  const auto boxes = d.boxes.to(at::kCPU, at::kFloat).contiguous();
  const auto scores = d.scores.to(at::kCPU, at::kFloat).contiguous();
  const auto classes = d.classes.to(at::kCPU, at::kLong).contiguous();
  at::Tensor masks;
  if (d.hasMasks()) masks = d.masks.to(at::kCPU).to(at::kByte).mul(255).contiguous();
  for (std::int64_t i = 0; i < d.count(); ++i) {
    DetailRegion r;
    for (int c = 0; c < 4; ++c) r.box[static_cast<std::size_t>(c)] = boxes[i][c].item<float>();
    r.score = scores[i].item<float>();
    r.classId = classes[i].item<std::int64_t>();
    if (masks.defined()) {
      r.mask = Mask::zeros(d.imageWidth, d.imageHeight);
      std::memcpy(r.mask.pixels.data(), masks[i].data_ptr(), r.mask.pixels.size());
    } else {
      r.mask = maskFromBox(r.box, d.imageWidth, d.imageHeight);
    }
    regions.push_back(std::move(r));
  }
  return regions;
}

std::vector<DetailRegion> filterByAreaRatio(std::vector<DetailRegion> regions, double low,
                                            double high, int imageWidth, int imageHeight) {
  const double imageArea = static_cast<double>(imageWidth) * imageHeight;
  std::vector<DetailRegion> kept;
  for (auto& r : regions) {
    const double ratio = r.boxArea() / imageArea;
    if (low <= ratio && ratio <= high) kept.push_back(std::move(r));
  }
  return kept;
}

std::vector<DetailRegion> keepTopK(std::vector<DetailRegion> regions, int k, TopKBy by) {
  if (k <= 0 || regions.empty()) return regions;
  // np.argsort(values)[-k:][::-1]: ascending (ties in index order), last k, reversed.
  auto sorted = by == TopKBy::Area
                    ? reorder(std::move(regions), [](const DetailRegion& r) { return r.boxArea(); })
                    : reorder(std::move(regions), [](const DetailRegion& r) { return r.score; });
  const std::size_t keep = std::min(sorted.size(), static_cast<std::size_t>(k));
  std::vector<DetailRegion> top(std::make_move_iterator(sorted.end() - static_cast<std::ptrdiff_t>(keep)),
                                std::make_move_iterator(sorted.end()));
  std::reverse(top.begin(), top.end());
  return top;
}

std::vector<DetailRegion> sortRegions(std::vector<DetailRegion> regions, MaskSortOrder order,
                                      int imageWidth, int imageHeight) {
  if (order == MaskSortOrder::None || regions.size() <= 1) return regions;
  if (order == MaskSortOrder::LeftToRight) {
    return reorder(std::move(regions), [](const DetailRegion& r) { return r.box[0]; });
  }
  if (order == MaskSortOrder::CenterToEdge) {
    const double cx = imageWidth / 2.0;
    const double cy = imageHeight / 2.0;
    return reorder(std::move(regions), [&](const DetailRegion& r) {
      return std::hypot(cx - (r.box[0] + r.box[2]) / 2.0, cy - (r.box[1] + r.box[3]) / 2.0);
    });
  }
  auto sorted = reorder(std::move(regions), [](const DetailRegion& r) { return r.boxArea(); });
  std::reverse(sorted.begin(), sorted.end());  // sorted(…) then reverse(), as ADetailer
  return sorted;
}

Mask offsetMask(const Mask& mask, int x, int y) {
  const int w = mask.width;
  const int h = mask.height;
  const int dx = std::clamp(x, -w, w);
  const int dy = std::clamp(-y, -h, h);  // y points up
  Mask out = Mask::zeros(w, h);
  for (int row = 0; row < h; ++row) {
    const int source = row - dy;
    if (source < 0 || source >= h) continue;
    for (int col = 0; col < w; ++col) {
      const int sourceCol = col - dx;
      if (sourceCol >= 0 && sourceCol < w) out.at(col, row) = mask.at(sourceCol, source);
    }
  }
  return out;
}

Mask dilateErode(const Mask& mask, int value) {
  if (value == 0) return mask;
  return morphology(mask, std::abs(value), value > 0);
}

Mask mergeMasks(const std::vector<Mask>& masks) {
  if (masks.empty()) throw CelerityError(ErrorCode::InvalidArgument, "no masks to merge", "mergeMasks");
  Mask merged = masks.front();
  for (std::size_t i = 1; i < masks.size(); ++i) {
    if (masks[i].width != merged.width || masks[i].height != merged.height) {
      throw CelerityError(ErrorCode::InvalidArgument, "masks of different sizes", "mergeMasks");
    }
    for (std::size_t p = 0; p < merged.pixels.size(); ++p) merged.pixels[p] |= masks[i].pixels[p];
  }
  return merged;
}

Mask invertMask(const Mask& mask) {
  Mask out = mask;
  for (auto& v : out.pixels) v = static_cast<std::uint8_t>(255 - v);
  return out;
}

std::vector<Mask> mergeInvert(std::vector<Mask> masks, MaskMergeMode mode) {
  if (mode == MaskMergeMode::None || masks.empty()) return masks;
  Mask merged = mergeMasks(masks);
  if (mode == MaskMergeMode::MergeInvert) merged = invertMask(merged);
  return {merged};
}

std::vector<Mask> preprocessMasks(std::vector<Mask> masks, int dilateErodeValue, int xOffset,
                                  int yOffset, MaskMergeMode mode) {
  if (masks.empty()) return masks;
  if (xOffset != 0 || yOffset != 0) {
    for (auto& m : masks) m = offsetMask(m, xOffset, yOffset);
  }
  if (dilateErodeValue != 0) {
    std::vector<Mask> kept;
    for (auto& m : masks) {
      Mask changed = dilateErode(m, dilateErodeValue);
      if (!changed.allBlack()) kept.push_back(std::move(changed));
    }
    masks = std::move(kept);
  }
  return mergeInvert(std::move(masks), mode);
}

}  // namespace celerity
