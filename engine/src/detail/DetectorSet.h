#pragma once
// The detailer's detectors, held by the engine across jobs: model names resolved inside the
// configured detector folders (never outside them), YOLO models loaded once and kept
// (`detail.keep_detector`), and a small cache of recent detections keyed by the image's bytes
// and the settings (`detail.detect_cache`), so that the same image detected twice with the
// same settings costs nothing.
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "detail/Detector.h"
#include "pipeline/StageObserver.h"

namespace celerity {

namespace stages {
inline constexpr const char* kDetailLoad = "detail.load";
inline constexpr const char* kDetailDetect = "detail.detect";
}  // namespace stages

struct YoloInput;

class DetectorSet {
 public:
  DetectorSet(std::vector<std::filesystem::path> folders, std::filesystem::path haarCascadeDir,
              const at::Device& device);

  // A model name ("face_yolov8n.pt", "sub/hand.safetensors", "haar_face") → its file; the
  // extension may be left out. Throws CelerityError: InvalidArgument for an empty, absolute
  // or ".." name, FileNotFound naming the folders searched.
  std::filesystem::path resolve(const std::string& name) const;

  // The loaded detector for a name (a `detail.load` stage when it has to be read). With
  // keepLoaded false the detector is not remembered (and a remembered one is dropped).
  std::shared_ptr<Detector> acquire(const std::string& name, bool keepLoaded, const JobControl& control);

  // detector.detect in a `detail.detect` stage, or the cached result of the same image,
  // detector and options when `useCache`. `sharedInput`: the image already letterboxed for
  // a YOLO detector (several tabs' detectors share it).
  Detections detect(Detector& detector, const std::string& detectorKey, const RgbImage& image,
                    const DetectOptions& options, bool useCache, const JobControl& control,
                    const YoloInput* sharedInput = nullptr);

  // Model files found in the folders (relative names, sorted) plus the built-in detector.
  std::vector<std::string> list() const;

  int loadsPerformed() const { return loads_; }
  int detectionsRun() const { return detections_; }

 private:
  struct CachedDetection {
    std::string key;
    Detections detections;
  };

  std::vector<std::filesystem::path> folders_;
  std::filesystem::path haarCascadeDir_;
  at::Device device_;
  std::map<std::string, std::shared_ptr<Detector>> loaded_;
  std::deque<CachedDetection> recent_;
  int loads_ = 0;
  int detections_ = 0;
};

// FNV-1a over the pixels and size: the detection cache's image identity.
std::uint64_t imageFingerprint(const RgbImage& image);

}  // namespace celerity
