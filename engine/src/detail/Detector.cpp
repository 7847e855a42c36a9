#include "detail/Detector.h"

namespace celerity {

Detections Detections::empty(int imageWidth, int imageHeight, std::vector<std::string> classNames) {
  Detections d;
  d.boxes = at::zeros({0, 4}, at::kFloat);
  d.scores = at::zeros({0}, at::kFloat);
  d.classes = at::zeros({0}, at::kLong);
  d.imageWidth = imageWidth;
  d.imageHeight = imageHeight;
  d.classNames = std::move(classNames);
  return d;
}

}  // namespace celerity
