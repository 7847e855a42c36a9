#include "detail/YoloDetector.h"

#include <c10/core/InferenceMode.h>
#include <spdlog/spdlog.h>

#include "celerity/Error.h"
#include "common/Log.h"
#include "detail/YoloPostprocess.h"

namespace celerity {

std::shared_ptr<YoloDetector> YoloDetector::load(const std::vector<std::filesystem::path>& files,
                                                 const at::Device& device) {
  if (files.empty()) throw CelerityError(ErrorCode::InvalidArgument, "no weight files", "YoloDetector");
  yolo::YoloWeights weights;
  if (files.size() == 1) {
    weights = yolo::YoloWeights::fromFile(files.front());
  } else {
    weights = yolo::YoloWeights::fromSafetensors(files);
  }
  return std::make_shared<YoloDetector>(weights, device, files.front().stem().string());
}

YoloDetector::YoloDetector(const yolo::YoloWeights& weights, const at::Device& device, std::string name)
    : device_(device), name_(std::move(name)) {
  model_ = yolo::loadYoloModel(weights, device);
}

YoloInput YoloDetector::prepare(const RgbImage& image, const DetectOptions& options) const {
  image.validate("YoloDetector input");
  YoloInput input;
  input.geometry = computeLetterbox(image.width, image.height, options.imageSize,
                                    static_cast<int>(config().maxStride()), options.minimalPadding);
  input.tensor = letterboxTensor(image, input.geometry).to(device_);
  return input;
}

YoloInput YoloDetector::prepareResized(const RgbImage& resized, const LetterboxGeometry& geometry) const {
  return {letterboxTensorFromResized(resized, geometry).to(device_), geometry};
}

YoloRawOutput YoloDetector::infer(const at::Tensor& input) {
  c10::InferenceMode guard;
  auto out = model_->forward(input.to(device_, at::kFloat));
  return {out.prediction, out.proto};
}

YoloStages YoloDetector::postprocess(const YoloRawOutput& raw, const LetterboxGeometry& geometry,
                                     const DetectOptions& options, bool withInputMasks) const {
  c10::InferenceMode guard;
  const auto& cfg = config();
  NmsOptions nms;
  nms.confidence = options.confidence;
  nms.iou = options.iou;
  nms.maxDetections = options.maxDetections;
  nms.agnostic = options.agnostic;
  nms.classes = options.classes;

  YoloStages stages;
  // NMS and the box arithmetic run on the CPU: a few rows, and torchvision's loop is serial.
  const auto prediction = raw.prediction.select(0, 0).to(at::kCPU, at::kFloat);
  stages.nms = nonMaxSuppression(prediction, cfg.numClasses, nms);
  const std::int64_t n = stages.nms.size(0);
  auto& d = stages.detections;
  d = Detections::empty(geometry.imageWidth, geometry.imageHeight, cfg.classNames);
  if (n == 0) return stages;

  const auto boxes = stages.nms.narrow(1, 0, 4);
  d.boxes = scaleBoxes(boxes, geometry.inputHeight, geometry.inputWidth, geometry.imageHeight,
                       geometry.imageWidth);
  d.scores = stages.nms.select(1, 4).contiguous();
  d.classes = stages.nms.select(1, 5).to(at::kLong);

  if (cfg.task == YoloTask::Segment && raw.proto.defined()) {
    const auto proto = raw.proto.select(0, 0).to(at::kCPU, at::kFloat);
    const auto coefficients = stages.nms.narrow(1, 6, cfg.maskCoefficients);
    if (options.masks) {
      d.masks = processMaskNative(proto, coefficients, d.boxes, geometry.imageHeight, geometry.imageWidth);
    }
    if (withInputMasks) {
      stages.inputMasks = processMask(proto, coefficients, boxes, geometry.inputHeight, geometry.inputWidth);
    }
  }
  return stages;
}

Detections YoloDetector::detect(const RgbImage& image, const DetectOptions& options) {
  const YoloInput input = prepare(image, options);
  const YoloRawOutput raw = infer(input.tensor);
  auto stages = postprocess(raw, input.geometry, options);
  engineLog()->debug("{}: {} detections at {}x{}", name_, stages.detections.count(),
                     input.geometry.inputWidth, input.geometry.inputHeight);
  return std::move(stages.detections);
}

}  // namespace celerity
