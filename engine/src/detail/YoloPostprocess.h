#pragma once
// ultralytics' post-processing of a YOLOv8 prediction (utils/ops.py, 8.1.0), step by step and
// in the same tensor operations, so that results agree with ultralytics to float rounding:
// NMS (torchvision.ops.nms semantics), boxes back to the image, masks from the prototypes.
#include <cstdint>
#include <vector>

#include <ATen/ATen.h>

namespace celerity {

struct NmsOptions {
  double confidence = 0.25;  // candidates need max class score > confidence
  double iou = 0.7;          // suppress when IoU > iou
  std::int64_t maxDetections = 300;
  bool agnostic = false;
  std::vector<std::int64_t> classes;  // empty keeps all
};

// Class offset of ultralytics' batched NMS (max_wh).
constexpr double kNmsClassOffset = 7680;
// ultralytics' max_nms: candidates kept (by score) before NMS.
constexpr std::int64_t kMaxNmsCandidates = 30000;

// torchvision.ops.nms on CPU: indices of the kept boxes [N, 4] xyxy, by score descending
// (stable), suppressing IoU > threshold; IoU = inter / (a1 + a2 − inter), no +1.
at::Tensor nmsKeep(const at::Tensor& boxes, const at::Tensor& scores, double iouThreshold);

// ops.non_max_suppression for ONE image: `prediction` [4 + nc + nm, A] (xywh, scores,
// coefficients) → [N, 6 + nm] rows x1, y1, x2, y2, conf, class, coefficients (letterbox space).
at::Tensor nonMaxSuppression(const at::Tensor& prediction, std::int64_t numClasses,
                             const NmsOptions& options);

// ops.scale_boxes + clip_boxes: xyxy [N, 4] from the input (inputH × inputW) to the image.
at::Tensor scaleBoxes(const at::Tensor& boxes, std::int64_t inputHeight, std::int64_t inputWidth,
                      std::int64_t imageHeight, std::int64_t imageWidth);

// ops.crop_mask: zero outside each box; pixel (row r, column c) is kept iff
// x1 ≤ c < x2 and y1 ≤ r < y2 with integer indices.
at::Tensor cropMask(const at::Tensor& masks, const at::Tensor& boxes);

// ops.process_mask(upsample=True) (retina_masks=False): masks at the letterboxed input size,
// padding included. proto [nm, mh, mw], coefficients [N, nm], boxes [N, 4] in input pixels.
at::Tensor processMask(const at::Tensor& proto, const at::Tensor& coefficients,
                       const at::Tensor& boxes, std::int64_t inputHeight, std::int64_t inputWidth);

// ops.process_mask_native (retina_masks=True): masks at the image size; `boxes` already
// scaled to the image.
at::Tensor processMaskNative(const at::Tensor& proto, const at::Tensor& coefficients,
                             const at::Tensor& boxes, std::int64_t imageHeight,
                             std::int64_t imageWidth);

}  // namespace celerity
