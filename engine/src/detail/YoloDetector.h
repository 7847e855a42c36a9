#pragma once
// A YOLOv8 detector / segmenter (ADetailer's face_yolov8n/s, hand_yolov8n,
// person_yolov8n-seg, …) run natively in LibTorch on the engine's device, with ultralytics'
// own pre- and post-processing (YOLO.predict, 8.1.0). Loading (weights, BN folding) happens
// once in `load`; `detect` keeps no state between calls.
//
// The stages are public so that several tabs can share one letterboxed input and so that
// tests can check each stage against ultralytics: prepare → infer → postprocess.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "detail/Detector.h"
#include "detail/Letterbox.h"
#include "models/yolo/YoloModel.h"
#include "models/yolo/YoloWeights.h"

namespace celerity {

struct YoloInput {
  at::Tensor tensor;  // [1, 3, inputHeight, inputWidth] float32 RGB / 255 on the detector's device
  LetterboxGeometry geometry;
};

struct YoloRawOutput {
  at::Tensor prediction;  // [1, 4 + nc (+ nm), A]: xywh in input pixels, sigmoid scores, coefficients
  at::Tensor proto;       // [1, nm, H/4, W/4] for segmentation models
};

struct YoloStages {
  at::Tensor nms;          // [N, 6 (+ nm)] letterbox space: x1 y1 x2 y2 conf cls (coefficients)
  Detections detections;   // image space; masks via process_mask_native (retina_masks=True)
  at::Tensor inputMasks;   // [N, inputH, inputW] bool, ultralytics masks.data with
                           // retina_masks=False (ADetailer's), when requested; else undefined
};

class YoloDetector : public Detector {
 public:
  // `files`: one state dict (.safetensors or ultralytics .pt), or a base .safetensors file
  // followed by files whose tensors replace/extend it. Throws CelerityError naming the file
  // (UnknownModel, WeightMismatch, UnsafeFormat, …).
  static std::shared_ptr<YoloDetector> load(const std::vector<std::filesystem::path>& files,
                                            const at::Device& device = at::kCPU);
  YoloDetector(const yolo::YoloWeights& weights, const at::Device& device, std::string name);

  Detections detect(const RgbImage& image, const DetectOptions& options) override;
  std::string name() const override { return name_; }
  bool producesMasks() const override { return config().task == YoloTask::Segment; }
  std::vector<std::string> classNames() const override { return config().classNames; }

  YoloInput prepare(const RgbImage& image, const DetectOptions& options) const;
  // The input from a picture already resized to the geometry's (resizedWidth, resizedHeight).
  YoloInput prepareResized(const RgbImage& resized, const LetterboxGeometry& geometry) const;
  YoloRawOutput infer(const at::Tensor& input);
  YoloStages postprocess(const YoloRawOutput& raw, const LetterboxGeometry& geometry,
                         const DetectOptions& options, bool withInputMasks = false) const;

  const YoloConfig& config() const { return model_->config(); }
  const at::Device& device() const { return device_; }
  yolo::YoloModel& model() { return model_; }

 private:
  yolo::YoloModel model_{nullptr};
  at::Device device_;
  std::string name_;
};

}  // namespace celerity
