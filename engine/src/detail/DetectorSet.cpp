#include "detail/DetectorSet.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "celerity/DetailerOptions.h"
#include "celerity/Error.h"
#include "detail/HaarFaceDetector.h"
#include "detail/YoloDetector.h"

namespace celerity {
namespace {

constexpr std::size_t kCachedDetections = 16;
constexpr int kMaxDepth = 8;
const char* const kExtensions[] = {".safetensors", ".pt", ".pth"};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool isModelFile(const std::filesystem::path& path) {
  const auto extension = lower(path.extension().string());
  return std::any_of(std::begin(kExtensions), std::end(kExtensions), [&](const char* e) { return extension == e; });
}

void checkName(const std::string& name) {
  const auto refuse = [&](const std::string& why) {
    throw CelerityError(ErrorCode::InvalidArgument, "detector name " + why, "detailer model '" + name + "'");
  };
  if (name.empty()) refuse("is empty");
  if (name.find('\0') != std::string::npos) refuse("holds a NUL character");
  const std::filesystem::path path(name);
  if (path.is_absolute() || name.front() == '\\' || (name.size() >= 2 && name[1] == ':')) {
    refuse("is an absolute path; name a file inside the detector folders");
  }
  for (const auto& part : path) {
    if (part == "..") refuse("leaves the detector folders (\"..\")");
  }
  if (name.find("\\..") != std::string::npos || name.rfind("..\\", 0) == 0) {
    refuse("leaves the detector folders (\"..\")");
  }
}

std::string describeOptions(const DetectOptions& o) {
  std::ostringstream key;
  key << o.confidence << '|' << o.iou << '|' << o.maxDetections << '|' << o.imageSize << '|' << o.minimalPadding
      << '|' << o.agnostic << '|' << o.masks;
  for (const auto c : o.classes) key << ',' << c;
  return key.str();
}

}  // namespace

std::uint64_t imageFingerprint(const RgbImage& image) {
  std::uint64_t hash = 1469598103934665603ULL;
  const auto mix = [&](std::uint64_t byte) {
    hash ^= byte;
    hash *= 1099511628211ULL;
  };
  mix(static_cast<std::uint64_t>(image.width));
  mix(static_cast<std::uint64_t>(image.height));
  for (const auto byte : image.pixels) mix(byte);
  return hash;
}

DetectorSet::DetectorSet(std::vector<std::filesystem::path> folders, std::filesystem::path haarCascadeDir,
                         const at::Device& device)
    : folders_(std::move(folders)),
      haarCascadeDir_(haarCascadeDir.empty() ? std::filesystem::path(HaarFaceDetector::kDefaultCascadeDir)
                                             : std::move(haarCascadeDir)),
      device_(device) {}

std::filesystem::path DetectorSet::resolve(const std::string& name) const {
  if (name == kBuiltinFaceDetector) return haarCascadeDir_;
  checkName(name);
  std::error_code error;
  for (const auto& folder : folders_) {
    const auto candidate = folder / name;
    if (std::filesystem::is_regular_file(candidate, error)) return candidate;
    if (!std::filesystem::path(name).has_extension()) {
      for (const char* extension : kExtensions) {
        auto withExtension = candidate;
        withExtension += extension;
        if (std::filesystem::is_regular_file(withExtension, error)) return withExtension;
      }
    }
  }
  std::string searched;
  for (const auto& folder : folders_) searched += (searched.empty() ? "" : ", ") + folder.string();
  throw CelerityError(ErrorCode::FileNotFound,
                      "no detector model '" + name + "' in the detector folders (" +
                          (searched.empty() ? std::string("none configured") : searched) +
                          "); the built-in face detector is '" + kBuiltinFaceDetector + "'",
                      "detailer model '" + name + "'");
}

std::shared_ptr<Detector> DetectorSet::acquire(const std::string& name, bool keepLoaded, const JobControl& control) {
  const auto path = resolve(name);
  const auto key = path.string();
  if (const auto found = loaded_.find(key); found != loaded_.end()) {
    auto detector = found->second;
    if (!keepLoaded) loaded_.erase(found);
    return detector;
  }
  StageScope stage(control, stages::kDetailLoad);
  std::shared_ptr<Detector> detector;
  if (name == kBuiltinFaceDetector) {
    detector = std::make_shared<HaarFaceDetector>(path);
  } else {
    detector = YoloDetector::load({path}, device_);
  }
  ++loads_;
  if (keepLoaded) loaded_[key] = detector;
  return detector;
}

Detections DetectorSet::detect(Detector& detector, const std::string& detectorKey, const RgbImage& image,
                               const DetectOptions& options, bool useCache, const JobControl& control,
                               const YoloInput* sharedInput) {
  StageScope stage(control, stages::kDetailDetect);
  std::string key;
  if (useCache) {
    key = detectorKey + '|' + std::to_string(imageFingerprint(image)) + '|' + describeOptions(options);
    for (const auto& entry : recent_) {
      if (entry.key == key) return entry.detections;
    }
  }
  auto* yolo = dynamic_cast<YoloDetector*>(&detector);
  auto detections = sharedInput != nullptr && yolo != nullptr
                        ? yolo->postprocess(yolo->infer(sharedInput->tensor), sharedInput->geometry, options).detections
                        : detector.detect(image, options);
  ++detections_;
  if (useCache) {
    recent_.push_front({key, detections});
    if (recent_.size() > kCachedDetections) recent_.pop_back();
  }
  return detections;
}

std::vector<std::string> DetectorSet::list() const {
  std::vector<std::string> names;
  for (const auto& folder : folders_) {
    std::error_code error;
    if (!std::filesystem::is_directory(folder, error)) continue;
    const auto options = std::filesystem::directory_options::follow_directory_symlink |
                         std::filesystem::directory_options::skip_permission_denied;
    std::filesystem::recursive_directory_iterator it(folder, options, error);
    for (; !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
      if (it.depth() >= kMaxDepth) it.disable_recursion_pending();
      std::error_code typeError;
      if (!it->is_regular_file(typeError) || !isModelFile(it->path())) continue;
      names.push_back(std::filesystem::relative(it->path(), folder, typeError).generic_string());
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  names.emplace_back(kBuiltinFaceDetector);
  return names;
}

}  // namespace celerity
