#include "models/yolo/YoloConfig.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "io/ShapeMap.h"

namespace celerity {
namespace {

using Kind = YoloLayerKind;

// yolov8.yaml backbone + head (identical for -seg); Conv kernel/stride, C2f shortcut.
struct Topology {
  Kind kind;
  std::vector<int> from;
  std::int64_t kernel;
  std::int64_t stride;
  bool shortcut;
};
const Topology kYolov8[] = {
    {Kind::Conv, {-1}, 3, 2, false},      // 0  P1/2
    {Kind::Conv, {-1}, 3, 2, false},      // 1  P2/4
    {Kind::C2f, {-1}, 1, 1, true},        // 2
    {Kind::Conv, {-1}, 3, 2, false},      // 3  P3/8
    {Kind::C2f, {-1}, 1, 1, true},        // 4
    {Kind::Conv, {-1}, 3, 2, false},      // 5  P4/16
    {Kind::C2f, {-1}, 1, 1, true},        // 6
    {Kind::Conv, {-1}, 3, 2, false},      // 7  P5/32
    {Kind::C2f, {-1}, 1, 1, true},        // 8
    {Kind::Sppf, {-1}, 5, 1, false},      // 9
    {Kind::Upsample, {-1}, 1, 1, false},  // 10
    {Kind::Concat, {-1, 6}, 1, 1, false}, // 11
    {Kind::C2f, {-1}, 1, 1, false},       // 12
    {Kind::Upsample, {-1}, 1, 1, false},  // 13
    {Kind::Concat, {-1, 4}, 1, 1, false}, // 14
    {Kind::C2f, {-1}, 1, 1, false},       // 15 P3 out
    {Kind::Conv, {-1}, 3, 2, false},      // 16
    {Kind::Concat, {-1, 12}, 1, 1, false},// 17
    {Kind::C2f, {-1}, 1, 1, false},       // 18 P4 out
    {Kind::Conv, {-1}, 3, 2, false},      // 19
    {Kind::Concat, {-1, 9}, 1, 1, false}, // 20
    {Kind::C2f, {-1}, 1, 1, false},       // 21 P5 out
};

[[noreturn]] void unknown(const ShapeMap& shapes, const std::string& what, const std::string& key) {
  throw CelerityError(ErrorCode::UnknownModel, "not a YOLOv8 detect/segment network: " + what,
                      shapes.source + (key.empty() ? "" : " [" + key + "]"));
}

const std::vector<std::int64_t>& shapeOf(const ShapeMap& shapes, const std::string& key) {
  const auto shape = shapes.findShape(key);
  if (!shape) unknown(shapes, "missing tensor", key);
  return shapes.shape(key);
}

// Output/input channels and kernel of a Conv unit `prefix` (`….conv.weight`).
std::vector<std::int64_t> convShape(const ShapeMap& shapes, const std::string& prefix) {
  const std::string key = prefix + ".conv.weight";
  const auto& shape = shapeOf(shapes, key);
  if (shape.size() != 4 || shape[2] != shape[3]) unknown(shapes, "unexpected conv shape", key);
  return shape;
}

void expectIn(const ShapeMap& shapes, const std::string& prefix, std::int64_t inChannels) {
  if (convShape(shapes, prefix)[1] != inChannels) {
    unknown(shapes, "input channels do not chain", prefix + ".conv.weight");
  }
}

std::string metadataValue(const ShapeMap& shapes, const std::string& key) {
  const auto it = shapes.metadata.find(key);
  return it == shapes.metadata.end() ? std::string() : it->second;
}

}  // namespace

std::int64_t YoloConfig::maxStride() const {
  return static_cast<std::int64_t>(*std::max_element(strides.begin(), strides.end()));
}

std::int64_t YoloConfig::channelsOf(int index) const { return layers.at(static_cast<std::size_t>(index)).outChannels; }

std::int64_t YoloConfig::outputRows() const {
  return 4 + numClasses + (task == YoloTask::Segment ? maskCoefficients : 0);
}

YoloConfig YoloConfig::fromWeights(const ShapeMap& shapes) {
  YoloConfig config;
  const std::string head = "model." + std::to_string(kHeadIndex) + ".";
  if (!shapes.hasPrefix(head)) unknown(shapes, "no head at layer 22", head + "*");
  if (shapes.hasPrefix("model." + std::to_string(kHeadIndex + 1) + ".")) {
    unknown(shapes, "more layers than yolov8 has", "model.23.*");
  }

  std::int64_t channels = 3;
  for (int i = 0; i < kHeadIndex; ++i) {
    const Topology& t = kYolov8[i];
    const std::string prefix = "model." + std::to_string(i);
    YoloLayerSpec spec;
    spec.kind = t.kind;
    spec.from = t.from;
    spec.inChannels = channels;
    switch (t.kind) {
      case Kind::Conv: {
        const auto shape = convShape(shapes, prefix);
        expectIn(shapes, prefix, channels);
        if (shape[2] != t.kernel) unknown(shapes, "unexpected kernel size", prefix + ".conv.weight");
        spec.outChannels = shape[0];
        spec.kernel = t.kernel;
        spec.stride = t.stride;
        break;
      }
      case Kind::C2f: {
        const auto cv1 = convShape(shapes, prefix + ".cv1");
        expectIn(shapes, prefix + ".cv1", channels);
        spec.hiddenChannels = cv1[0] / 2;
        spec.repeats = shapes.countIndexed(prefix + ".m.");
        if (spec.repeats == 0) unknown(shapes, "C2f without Bottlenecks", prefix + ".m.*");
        for (std::int64_t r = 0; r < spec.repeats; ++r) {
          const std::string m = prefix + ".m." + std::to_string(r);
          expectIn(shapes, m + ".cv1", spec.hiddenChannels);
          expectIn(shapes, m + ".cv2", convShape(shapes, m + ".cv1")[0]);
          if (convShape(shapes, m + ".cv2")[0] != spec.hiddenChannels) {
            unknown(shapes, "Bottleneck width", m + ".cv2.conv.weight");
          }
        }
        expectIn(shapes, prefix + ".cv2", (2 + spec.repeats) * spec.hiddenChannels);
        spec.outChannels = convShape(shapes, prefix + ".cv2")[0];
        spec.shortcut = t.shortcut;
        break;
      }
      case Kind::Sppf: {
        expectIn(shapes, prefix + ".cv1", channels);
        spec.hiddenChannels = convShape(shapes, prefix + ".cv1")[0];
        expectIn(shapes, prefix + ".cv2", 4 * spec.hiddenChannels);
        spec.outChannels = convShape(shapes, prefix + ".cv2")[0];
        spec.kernel = t.kernel;
        break;
      }
      case Kind::Upsample:
        spec.outChannels = channels;
        break;
      case Kind::Concat:
        spec.outChannels = channels + config.layers.at(static_cast<std::size_t>(t.from[1])).outChannels;
        break;
      default:
        break;
    }
    channels = spec.outChannels;
    config.layers.push_back(spec);
  }

  // Detect: cv2 (box: Conv, Conv, Conv2d 4·reg_max), cv3 (class: Conv, Conv, Conv2d nc).
  for (std::size_t level = 0; level < config.headFrom.size(); ++level) {
    const std::int64_t in = config.channelsOf(config.headFrom[level]);
    const std::string l = std::to_string(level);
    expectIn(shapes, head + "cv2." + l + ".0", in);
    expectIn(shapes, head + "cv3." + l + ".0", in);
    const auto& box = shapeOf(shapes, head + "cv2." + l + ".2.weight");
    const auto& cls = shapeOf(shapes, head + "cv3." + l + ".2.weight");
    if (level == 0) {
      config.boxChannels = convShape(shapes, head + "cv2.0.0")[0];
      config.classChannels = convShape(shapes, head + "cv3.0.0")[0];
      if (box[0] % 4 != 0) unknown(shapes, "box outputs are not 4·reg_max", head + "cv2.0.2.weight");
      config.regMax = box[0] / 4;
      config.numClasses = cls[0];
    } else if (box[0] != 4 * config.regMax || cls[0] != config.numClasses) {
      unknown(shapes, "head levels disagree", head + "cv2." + l + ".2.weight");
    }
  }
  if (shapes.countIndexed(head + "cv2.") != config.levels()) unknown(shapes, "not 3 head levels", head + "cv2.*");
  if (shapes.contains(head + "dfl.conv.weight") &&
      shapes.shape(head + "dfl.conv.weight") != std::vector<std::int64_t>{1, config.regMax, 1, 1}) {
    unknown(shapes, "DFL size differs from reg_max", head + "dfl.conv.weight");
  }
  if (shapes.hasPrefix(head + "cv4.")) {
    config.task = YoloTask::Segment;
    config.maskChannels = convShape(shapes, head + "cv4.0.0")[0];
    config.maskCoefficients = shapeOf(shapes, head + "cv4.0.2.weight")[0];
    config.protoChannels = convShape(shapes, head + "proto.cv1")[0];
    expectIn(shapes, head + "proto.cv1", config.channelsOf(config.headFrom[0]));
    if (convShape(shapes, head + "proto.cv3")[0] != config.maskCoefficients) {
      unknown(shapes, "proto outputs differ from the mask coefficients", head + "proto.cv3.conv.weight");
    }
  }
  for (const char* other : {"cv4.", "proto."}) {
    if (config.task == YoloTask::Detect && shapes.hasPrefix(head + other)) {
      unknown(shapes, "a head that is neither Detect nor Segment", head + other + "*");
    }
  }
  const std::string task = metadataValue(shapes, "task");
  if (!task.empty() && task != "detect" && task != "segment") {
    unknown(shapes, "task " + task + " is not detect or segment", "task");
  }

  if (const std::string eps = metadataValue(shapes, "bn_eps"); !eps.empty()) config.bnEps = std::stod(eps);
  if (const std::string names = metadataValue(shapes, "names"); !names.empty()) {
    const auto json = nlohmann::json::parse(names, nullptr, /*allow_exceptions=*/false);
    if (json.is_object() || json.is_array()) {
      config.classNames.assign(static_cast<std::size_t>(config.numClasses), std::string());
      for (std::int64_t c = 0; c < config.numClasses; ++c) {
        const std::string key = std::to_string(c);
        if (json.is_object() && json.contains(key) && json[key].is_string()) {
          config.classNames[static_cast<std::size_t>(c)] = json[key].get<std::string>();
        } else if (json.is_array() && c < static_cast<std::int64_t>(json.size()) && json[c].is_string()) {
          config.classNames[static_cast<std::size_t>(c)] = json[c].get<std::string>();
        }
      }
    }
  }
  config.classNames.resize(static_cast<std::size_t>(config.numClasses));
  for (std::size_t c = 0; c < config.classNames.size(); ++c) {
    if (config.classNames[c].empty()) config.classNames[c] = std::to_string(c);
  }
  return config;
}

}  // namespace celerity
