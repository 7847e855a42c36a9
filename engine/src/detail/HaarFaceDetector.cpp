#include "detail/HaarFaceDetector.h"

#include <algorithm>

#include "celerity/Error.h"
#include "detail/YoloPostprocess.h"

#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#endif

namespace celerity {

#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV

struct HaarFaceDetector::Cascades {
  cv::CascadeClassifier frontal;
  cv::CascadeClassifier profile;
};

namespace {

void loadCascade(cv::CascadeClassifier& cascade, const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) {
    throw CelerityError(ErrorCode::FileNotFound,
                        "Haar cascade not found (Debian package opencv-data installs it)",
                        path.string());
  }
  if (!cascade.load(path.string()) || cascade.empty()) {
    throw CelerityError(ErrorCode::MalformedFile, "OpenCV could not read the Haar cascade", path.string());
  }
}

struct Candidate {
  cv::Rect box;
  int neighbours;
};

void runCascade(cv::CascadeClassifier& cascade, const cv::Mat& gray, bool mirrored,
                const HaarOptions& options, int minSide, std::vector<Candidate>& out) {
  std::vector<cv::Rect> boxes;
  std::vector<int> neighbours;
  cascade.detectMultiScale(gray, boxes, neighbours, options.scaleFactor, options.minNeighbors, 0,
                           cv::Size(minSide, minSide));
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    cv::Rect box = boxes[i];
    if (mirrored) box.x = gray.cols - box.x - box.width;
    out.push_back({box, i < neighbours.size() ? neighbours[i] : options.minNeighbors});
  }
}

}  // namespace

HaarFaceDetector::HaarFaceDetector(const std::filesystem::path& cascadeDir, HaarOptions options)
    : cascades_(std::make_unique<Cascades>()), options_(options) {
  loadCascade(cascades_->frontal, cascadeDir / kFrontalCascade);
  if (options_.profile) loadCascade(cascades_->profile, cascadeDir / kProfileCascade);
}

HaarFaceDetector::~HaarFaceDetector() = default;

Detections HaarFaceDetector::detect(const RgbImage& image, const DetectOptions& options) {
  image.validate("HaarFaceDetector input");
  const cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.pixels.data()));
  cv::Mat gray;
  cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
  cv::equalizeHist(gray, gray);
  const int minSide = std::max(
      20, static_cast<int>(options_.minFaceFraction * std::min(image.width, image.height)));

  std::vector<Candidate> candidates;
  runCascade(cascades_->frontal, gray, false, options_, minSide, candidates);
  if (options_.profile) {
    runCascade(cascades_->profile, gray, false, options_, minSide, candidates);
    cv::Mat mirrored;
    cv::flip(gray, mirrored, 1);
    runCascade(cascades_->profile, mirrored, true, options_, minSide, candidates);
  }

  Detections result = Detections::empty(image.width, image.height, classNames());
  if (candidates.empty()) return result;
  const auto n = static_cast<std::int64_t>(candidates.size());
  auto boxes = at::empty({n, 4}, at::kFloat);
  auto scores = at::empty({n}, at::kFloat);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto& c = candidates[static_cast<std::size_t>(i)];
    boxes[i][0] = static_cast<float>(c.box.x);
    boxes[i][1] = static_cast<float>(c.box.y);
    boxes[i][2] = static_cast<float>(c.box.x + c.box.width);
    boxes[i][3] = static_cast<float>(c.box.y + c.box.height);
    scores[i] = static_cast<float>(c.neighbours) / static_cast<float>(c.neighbours + options_.minNeighbors);
  }
  // One face found by several passes keeps its best-scored box.
  auto keep = nmsKeep(boxes, scores, std::min(options_.mergeIou, options.iou));
  keep = keep.index({scores.index({keep}) > options.confidence});
  keep = keep.narrow(0, 0, std::min<std::int64_t>(keep.size(0), options.maxDetections));
  result.boxes = boxes.index({keep});
  result.scores = scores.index({keep});
  result.classes = at::zeros({keep.size(0)}, at::kLong);
  return result;
}

#else  // no OpenCV

struct HaarFaceDetector::Cascades {};

HaarFaceDetector::HaarFaceDetector(const std::filesystem::path&, HaarOptions options)
    : options_(options) {
  throw CelerityError(ErrorCode::UnsupportedFormat,
                      "the Haar face detector needs OpenCV (this build has none)", "HaarFaceDetector");
}

HaarFaceDetector::~HaarFaceDetector() = default;

Detections HaarFaceDetector::detect(const RgbImage&, const DetectOptions&) {
  throw CelerityError(ErrorCode::UnsupportedFormat,
                      "the Haar face detector needs OpenCV (this build has none)", "HaarFaceDetector");
}

#endif

}  // namespace celerity
