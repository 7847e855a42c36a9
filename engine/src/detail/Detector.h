#pragma once
// What every detailer detector gives: boxes, scores, classes and (segmentation models only)
// masks, all in the original image's pixels. Detectors are loaded once and kept (the engine
// holds them between jobs); `detect` carries all per-run settings, so one loaded detector
// serves every tab and job.
#include <cstdint>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "imaging/RgbImage.h"

namespace celerity {

struct DetectOptions {
  double confidence = 0.3;   // ADetailer's default; a box needs score > confidence
  double iou = 0.7;          // NMS: suppress when IoU > iou (ultralytics default)
  int maxDetections = 300;   // ADetailer passes ultralytics' max_det 300
  int imageSize = 640;       // the letterbox's long side
  // LetterBox(auto=True): pad only to a multiple of the stride, as ultralytics does for one
  // image with a .pt model (ADetailer's case). false: the full imageSize square.
  bool minimalPadding = true;
  bool agnostic = false;     // NMS across classes
  std::vector<std::int64_t> classes;  // keep only these class ids; empty keeps all
  bool masks = true;         // segmentation models: compute image-size masks
};

struct Detections {
  at::Tensor boxes;    // [N, 4] float32 x1, y1, x2, y2 in image pixels, clipped to [0, W]×[0, H]
  at::Tensor scores;   // [N] float32, descending
  at::Tensor classes;  // [N] int64
  at::Tensor masks;    // [N, H, W] bool at image size; undefined when there are none
  std::vector<std::string> classNames;  // name of each class id
  int imageWidth = 0;
  int imageHeight = 0;

  std::int64_t count() const { return boxes.defined() ? boxes.size(0) : 0; }
  bool hasMasks() const { return masks.defined(); }
  static Detections empty(int imageWidth, int imageHeight, std::vector<std::string> classNames);
};

class Detector {
 public:
  virtual ~Detector() = default;
  // Throws CelerityError: InvalidArgument for an empty image; UnsupportedFormat when the
  // build lacks what the detector needs (OpenCV).
  virtual Detections detect(const RgbImage& image, const DetectOptions& options) = 0;
  virtual std::string name() const = 0;
  virtual bool producesMasks() const = 0;
  virtual std::vector<std::string> classNames() const = 0;
};

}  // namespace celerity
