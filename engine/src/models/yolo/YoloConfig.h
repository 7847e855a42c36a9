#pragma once
// Hyper-parameters of an ultralytics YOLOv8 detection or segmentation network, read from the
// shapes of its state dict (ultralytics key names, `model.N.*`). The layer graph is the
// yolov8.yaml / yolov8-seg.yaml one, the same at every scale (n/s/m/l/x): the scale only sets
// channel widths (width_multiple) and C2f repeats (depth_multiple), and both are read from
// the weights. What the weights cannot say (strides of the convolutions, which C2f blocks
// have shortcuts, BN eps 1e-3, reg_max) comes from the yaml facts below.
#include <cstdint>
#include <string>
#include <vector>

namespace celerity {

class ShapeMap;

enum class YoloTask { Invalid = 0, Detect, Segment };

enum class YoloLayerKind { Invalid = 0, Conv, C2f, Sppf, Upsample, Concat, Head };

struct YoloLayerSpec {
  YoloLayerKind kind = YoloLayerKind::Invalid;
  std::vector<int> from;            // input layers (-1 = the previous one)
  std::int64_t inChannels = 0;
  std::int64_t outChannels = 0;
  std::int64_t hiddenChannels = 0;  // C2f: channels of each chunk; SPPF: after cv1
  std::int64_t repeats = 0;         // C2f: Bottleneck count
  std::int64_t kernel = 1;          // Conv
  std::int64_t stride = 1;          // Conv
  bool shortcut = false;            // C2f: residual Bottlenecks (backbone only)
};

struct YoloConfig {
  static constexpr int kHeadIndex = 22;  // yolov8: Detect / Segment is layer 22
  static constexpr double kDefaultBnEps = 1e-3;

  YoloTask task = YoloTask::Detect;
  std::int64_t numClasses = 80;
  std::int64_t regMax = 16;  // DFL bins per box side
  std::vector<double> strides = {8, 16, 32};
  double bnEps = kDefaultBnEps;
  std::vector<YoloLayerSpec> layers;  // 0 … kHeadIndex − 1; the head's fields are below
  std::vector<int> headFrom = {15, 18, 21};
  std::int64_t boxChannels = 0;    // Detect c2: hidden width of the box branch (cv2)
  std::int64_t classChannels = 0;  // Detect c3: hidden width of the class branch (cv3)
  // Segment only.
  std::int64_t maskCoefficients = 0;  // nm (32)
  std::int64_t protoChannels = 0;     // npr (64 at n scale; set from the weights)
  std::int64_t maskChannels = 0;      // c4: hidden width of the coefficient branch (cv4)
  std::vector<std::string> classNames;  // from metadata `names`, else "0", "1", …

  // Reads the configuration from the tensors of a state dict (with or without the BN
  // tensors folded away) and the optional metadata (`names`, `bn_eps`, `stride`, `task`).
  // Throws CelerityError(UnknownModel) naming the tensor when the weights are not a YOLOv8
  // detect/segment network (e.g. YOLOv9/v11 layouts, pose or OBB heads).
  static YoloConfig fromWeights(const ShapeMap& shapes);

  std::int64_t levels() const { return static_cast<std::int64_t>(headFrom.size()); }
  std::int64_t maxStride() const;
  // Channels of the tensor that layer `index` outputs.
  std::int64_t channelsOf(int index) const;
  // Output rows per anchor: 4 box + classes (+ mask coefficients).
  std::int64_t outputRows() const;
};

}  // namespace celerity
