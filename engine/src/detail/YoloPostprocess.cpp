#include "detail/YoloPostprocess.h"

#include <algorithm>

#include "celerity/Error.h"
#include "detail/Letterbox.h"

namespace celerity {
namespace {

// ops.xywh2xyxy.
at::Tensor xywhToXyxy(const at::Tensor& x) {
  auto y = at::empty_like(x);
  const auto dw = x.select(1, 2) / 2;
  const auto dh = x.select(1, 3) / 2;
  y.select(1, 0).copy_(x.select(1, 0) - dw);
  y.select(1, 1).copy_(x.select(1, 1) - dh);
  y.select(1, 2).copy_(x.select(1, 0) + dw);
  y.select(1, 3).copy_(x.select(1, 1) + dh);
  return y;
}

template <typename T>
std::int64_t runNms(const at::Tensor& boxes, const at::Tensor& order, double threshold,
                    std::vector<std::int64_t>& keep) {
  const auto x1t = boxes.select(1, 0).contiguous();
  const auto y1t = boxes.select(1, 1).contiguous();
  const auto x2t = boxes.select(1, 2).contiguous();
  const auto y2t = boxes.select(1, 3).contiguous();
  const auto areast = ((x2t - x1t) * (y2t - y1t)).contiguous();
  const T* x1 = x1t.data_ptr<T>();
  const T* y1 = y1t.data_ptr<T>();
  const T* x2 = x2t.data_ptr<T>();
  const T* y2 = y2t.data_ptr<T>();
  const T* areas = areast.data_ptr<T>();
  const std::int64_t* ord = order.data_ptr<std::int64_t>();
  const std::int64_t n = boxes.size(0);
  std::vector<char> suppressed(static_cast<std::size_t>(n), 0);
  for (std::int64_t a = 0; a < n; ++a) {
    const std::int64_t i = ord[a];
    if (suppressed[static_cast<std::size_t>(i)]) continue;
    keep.push_back(i);
    for (std::int64_t b = a + 1; b < n; ++b) {
      const std::int64_t j = ord[b];
      if (suppressed[static_cast<std::size_t>(j)]) continue;
      const T w = std::max(static_cast<T>(0), std::min(x2[i], x2[j]) - std::max(x1[i], x1[j]));
      const T h = std::max(static_cast<T>(0), std::min(y2[i], y2[j]) - std::max(y1[i], y1[j]));
      const T inter = w * h;
      const T overlap = inter / (areas[i] + areas[j] - inter);
      if (overlap > threshold) suppressed[static_cast<std::size_t>(j)] = 1;
    }
  }
  return static_cast<std::int64_t>(keep.size());
}

}  // namespace

at::Tensor nmsKeep(const at::Tensor& boxes, const at::Tensor& scores, double iouThreshold) {
  if (boxes.dim() != 2 || boxes.size(1) != 4 || scores.dim() != 1 || scores.size(0) != boxes.size(0)) {
    throw CelerityError(ErrorCode::InvalidArgument, "nms needs boxes [N, 4] and scores [N]", "nms");
  }
  if (boxes.size(0) == 0) return at::zeros({0}, at::kLong);
  const auto cpuBoxes = boxes.to(at::kCPU);
  const auto order = std::get<1>(scores.to(at::kCPU).sort(/*stable=*/true, 0, /*descending=*/true)).contiguous();
  std::vector<std::int64_t> keep;
  if (cpuBoxes.scalar_type() == at::kDouble) {
    runNms<double>(cpuBoxes, order, iouThreshold, keep);
  } else {
    runNms<float>(cpuBoxes.to(at::kFloat), order, iouThreshold, keep);
  }
  return at::tensor(keep, at::kLong).to(boxes.device());
}

at::Tensor nonMaxSuppression(const at::Tensor& prediction, std::int64_t numClasses,
                             const NmsOptions& options) {
  if (prediction.dim() != 2 || prediction.size(0) < 4 + numClasses) {
    throw CelerityError(ErrorCode::InvalidArgument, "prediction must be [4 + nc + nm, A]", "nms");
  }
  const std::int64_t rows = prediction.size(0);
  const std::int64_t maskRows = rows - 4 - numClasses;
  const auto candidate = prediction.narrow(0, 4, numClasses).amax(0) > options.confidence;
  auto x = prediction.transpose(0, 1).index({candidate});
  const auto box = xywhToXyxy(x.narrow(1, 0, 4));
  const auto best = x.narrow(1, 4, numClasses).max(1, /*keepdim=*/true);
  const auto& conf = std::get<0>(best);
  const auto& cls = std::get<1>(best);
  x = at::cat({box, conf, cls.to(x.scalar_type()), x.narrow(1, 4 + numClasses, maskRows)}, 1)
          .index({conf.view({-1}) > options.confidence});
  if (!options.classes.empty()) {
    const auto wanted = at::tensor(options.classes, x.options().dtype(x.scalar_type()));
    x = x.index({(x.narrow(1, 5, 1) == wanted).any(1)});
  }
  if (x.size(0) == 0) return x;
  if (x.size(0) > kMaxNmsCandidates) {
    x = x.index({x.select(1, 4).argsort(0, /*descending=*/true).narrow(0, 0, kMaxNmsCandidates)});
  }
  const auto offset = x.narrow(1, 5, 1) * (options.agnostic ? 0 : kNmsClassOffset);
  auto keep = nmsKeep(x.narrow(1, 0, 4) + offset, x.select(1, 4), options.iou);
  keep = keep.narrow(0, 0, std::min<std::int64_t>(keep.size(0), options.maxDetections));
  return x.index({keep});
}

at::Tensor scaleBoxes(const at::Tensor& boxes, std::int64_t inputHeight, std::int64_t inputWidth,
                      std::int64_t imageHeight, std::int64_t imageWidth) {
  const double gain = std::min(static_cast<double>(inputHeight) / imageHeight,
                               static_cast<double>(inputWidth) / imageWidth);
  const int padX = roundHalfEven((inputWidth - imageWidth * gain) / 2 - 0.1);
  const int padY = roundHalfEven((inputHeight - imageHeight * gain) / 2 - 0.1);
  auto out = boxes.clone();
  for (int c : {0, 2}) out.select(1, c).sub_(padX);
  for (int c : {1, 3}) out.select(1, c).sub_(padY);
  out.narrow(1, 0, 4).div_(gain);
  for (int c : {0, 2}) out.select(1, c).clamp_(0, static_cast<double>(imageWidth));
  for (int c : {1, 3}) out.select(1, c).clamp_(0, static_cast<double>(imageHeight));
  return out;
}

at::Tensor cropMask(const at::Tensor& masks, const at::Tensor& boxes) {
  const std::int64_t h = masks.size(1);
  const std::int64_t w = masks.size(2);
  const auto parts = boxes.unsqueeze(2).chunk(4, 1);  // each [N, 1, 1]
  const auto r = at::arange(w, boxes.options()).view({1, 1, w});
  const auto c = at::arange(h, boxes.options()).view({1, h, 1});
  return masks * ((r >= parts[0]) * (r < parts[2]) * (c >= parts[1]) * (c < parts[3]));
}

namespace {

at::Tensor maskLogits(const at::Tensor& proto, const at::Tensor& coefficients) {
  const std::int64_t c = proto.size(0);
  return at::matmul(coefficients, proto.to(at::kFloat).view({c, -1}))
      .sigmoid()
      .view({-1, proto.size(1), proto.size(2)});
}

}  // namespace

at::Tensor processMask(const at::Tensor& proto, const at::Tensor& coefficients,
                       const at::Tensor& boxes, std::int64_t inputHeight, std::int64_t inputWidth) {
  const std::int64_t mh = proto.size(1);
  const std::int64_t mw = proto.size(2);
  auto masks = maskLogits(proto, coefficients);
  auto scaled = boxes.clone();
  const double sx = static_cast<double>(mw) / inputWidth;
  const double sy = static_cast<double>(mh) / inputHeight;
  scaled.select(1, 0).mul_(sx);
  scaled.select(1, 2).mul_(sx);
  scaled.select(1, 3).mul_(sy);
  scaled.select(1, 1).mul_(sy);
  masks = cropMask(masks, scaled);
  masks = at::upsample_bilinear2d(masks.unsqueeze(0), {inputHeight, inputWidth}, false).squeeze(0);
  return masks > 0.5;
}

at::Tensor processMaskNative(const at::Tensor& proto, const at::Tensor& coefficients,
                             const at::Tensor& boxes, std::int64_t imageHeight,
                             std::int64_t imageWidth) {
  const std::int64_t mh = proto.size(1);
  const std::int64_t mw = proto.size(2);
  auto masks = maskLogits(proto, coefficients);
  // ops.scale_masks (8.1.0): crop the letterbox pad at prototype resolution, then resize.
  const double gain = std::min(static_cast<double>(mh) / imageHeight,
                               static_cast<double>(mw) / imageWidth);
  const double padX = (mw - imageWidth * gain) / 2;
  const double padY = (mh - imageHeight * gain) / 2;
  const int top = roundHalfEven(padY - 0.1);
  const int left = roundHalfEven(padX - 0.1);
  const int bottom = roundHalfEven(mh - padY + 0.1);
  const int right = roundHalfEven(mw - padX + 0.1);
  masks = masks.slice(1, top, bottom).slice(2, left, right);
  masks = at::upsample_bilinear2d(masks.unsqueeze(0), {imageHeight, imageWidth}, false).squeeze(0);
  masks = cropMask(masks, boxes);
  return masks > 0.5;
}

}  // namespace celerity
