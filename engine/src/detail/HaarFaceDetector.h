#pragma once
// The built-in face detector that needs no download: OpenCV's Haar cascades from Debian's
// `opencv-data` (frontal face, and profile face on the image and on its mirror image, since
// the profile cascade only knows faces looking one way). Boxes from the three passes are
// merged by NMS. Scores come from the cascade's neighbour count n: n / (n + minNeighbors), so
// every accepted face scores at least 0.5 (above ADetailer's default confidence 0.3).
//
// Needs CELERITY_WITH_OPENCV: without it construction throws CelerityError(UnsupportedFormat).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "detail/Detector.h"

namespace celerity {

struct HaarOptions {
  double scaleFactor = 1.1;
  int minNeighbors = 5;
  double minFaceFraction = 0.05;  // smallest face side as a fraction of the shorter image side
  bool profile = true;            // also run the profile cascade (and on the mirror image)
  double mergeIou = 0.3;          // boxes of different passes overlapping more are one face
};

class HaarFaceDetector : public Detector {
 public:
  static constexpr const char* kDefaultCascadeDir = "/usr/share/opencv4/haarcascades";
  static constexpr const char* kFrontalCascade = "haarcascade_frontalface_default.xml";
  static constexpr const char* kProfileCascade = "haarcascade_profileface.xml";

  // Loads both cascades. Throws CelerityError: FileNotFound naming the cascade (install
  // Debian's opencv-data), MalformedFile when OpenCV cannot read it.
  explicit HaarFaceDetector(const std::filesystem::path& cascadeDir = kDefaultCascadeDir,
                            HaarOptions options = {});
  ~HaarFaceDetector() override;

  // `options.confidence` filters by the score above; iou/maxDetections apply to the result.
  Detections detect(const RgbImage& image, const DetectOptions& options) override;
  std::string name() const override { return "haar_face"; }
  bool producesMasks() const override { return false; }
  std::vector<std::string> classNames() const override { return {"face"}; }

 private:
  struct Cascades;
  std::unique_ptr<Cascades> cascades_;
  HaarOptions options_;
};

}  // namespace celerity
