// YOLOv8 detection and segmentation against ultralytics 8.1.0 (README_yolo.md): every case
// of the yolo_* vector files — letterbox geometry, the exact cv::resize pixels, raw head
// outputs, NMS rows, final boxes / scores / classes and masks — plus the Haar face detector
// on the astronaut photo. Cases, images, conf and shapes come from the files.
#include <QTest>

#include <array>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "common/GoldenSupport.h"
#include "detail/HaarFaceDetector.h"
#include "detail/Letterbox.h"
#include "detail/YoloDetector.h"
#include "imaging/ImageFiles.h"
#include "io/SafetensorsFile.h"

using celerity::DetectOptions;
using celerity::LetterboxGeometry;
using celerity::RgbImage;
using celerity::SafetensorsFile;
using celerity::YoloDetector;
using nlohmann::json;

namespace {

// README_yolo.md "Suggested checks".
constexpr double kBoxTolerancePx = 0.05;
constexpr double kScoreTolerance = 2e-4;
constexpr double kRelativeTolerance = 1e-4;
constexpr double kMaskFlipBase = 16;
constexpr double kMaskFlipFraction = 0.002;

json readJson(const std::string& name) {
  std::ifstream in(celerity::test::goldenPath(name));
  if (!in) throw std::runtime_error("cannot read golden " + name);
  return json::parse(in);
}

RgbImage imageFromTensor(const at::Tensor& hwc) {
  const auto bytes = hwc.to(at::kByte).contiguous();
  RgbImage image(static_cast<int>(bytes.size(1)), static_cast<int>(bytes.size(0)));
  std::memcpy(image.pixels.data(), bytes.data_ptr(), image.byteCount());
  return image;
}

at::Tensor tensorFromImage(const RgbImage& image) {
  return at::from_blob(const_cast<std::uint8_t*>(image.pixels.data()), {image.height, image.width, 3},
                       at::kByte)
      .clone();
}

// np.packbits(axis=-1, bitorder='little') back to bool [N, H, width].
at::Tensor unpackMasks(const at::Tensor& packed, std::int64_t width) {
  const auto bytes = packed.to(at::kInt);
  std::vector<at::Tensor> bits;
  for (int k = 0; k < 8; ++k) bits.push_back(bytes.bitwise_right_shift(k).bitwise_and(1));
  const auto all = at::stack(bits, -1).view({packed.size(0), packed.size(1), packed.size(2) * 8});
  return all.narrow(2, 0, width).to(at::kBool);
}

double maxAbsDiff(const at::Tensor& a, const at::Tensor& b) {
  if (a.numel() == 0) return 0;
  return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

struct Failures {
  std::vector<std::string> items;
  double worstRatio = 0;
  std::int64_t maxFlipped = 0;  // most mask pixels differing in one instance  // largest diff / limit over every comparison, for the log
  std::string worstLabel;
  void check(bool ok, const std::string& label, const std::string& detail = {}) {
    if (!ok) items.push_back(label + (detail.empty() ? "" : ": " + detail));
  }
  void within(const at::Tensor& out, const at::Tensor& ref, double limit, const std::string& label) {
    if (out.sizes() != ref.sizes()) {
      items.push_back(label + ": shape differs");
      return;
    }
    const double diff = maxAbsDiff(out, ref);
    if (limit > 0 && diff / limit > worstRatio) {
      worstRatio = diff / limit;
      worstLabel = label;
    }
    check(diff <= limit, label, "max|diff| " + std::to_string(diff) + " > " + std::to_string(limit));
  }
  std::string text() const {
    std::string all;
    for (const auto& item : items) all += "\n  " + item;
    return all;
  }
};

// Detection rows [N, 6 (+ nm)]: count, classes and order exact; boxes, conf (coefficients).
void compareRows(const at::Tensor& out, const at::Tensor& ref, double coefLimit,
                 const std::string& label, Failures& f) {
  if (out.size(0) != ref.size(0) || out.size(1) != ref.size(1)) {
    f.check(false, label, "rows " + std::to_string(out.size(0)) + "x" + std::to_string(out.size(1)) +
                              " vs reference " + std::to_string(ref.size(0)) + "x" + std::to_string(ref.size(1)));
    return;
  }
  if (ref.size(0) == 0) return;
  f.within(out.narrow(1, 0, 4), ref.narrow(1, 0, 4), kBoxTolerancePx, label + " boxes");
  f.within(out.select(1, 4), ref.select(1, 4), kScoreTolerance, label + " conf");
  f.check(at::equal(out.select(1, 5), ref.select(1, 5)), label + " classes");
  if (ref.size(1) > 6) {
    f.within(out.narrow(1, 6, ref.size(1) - 6), ref.narrow(1, 6, ref.size(1) - 6), coefLimit,
             label + " coefficients");
  }
}

void compareMasks(const at::Tensor& out, const at::Tensor& ref, const json& info,
                  const std::string& label, Failures& f) {
  if (!out.defined() || out.sizes() != ref.sizes()) {
    f.check(false, label, "mask shape differs");
    return;
  }
  const auto on = info.at("pixels_on");
  for (std::int64_t i = 0; i < ref.size(0); ++i) {
    const auto flipped = (out[i] != ref[i]).sum().item<std::int64_t>();
    const auto pixelsOn = on.at(static_cast<std::size_t>(i)).get<double>();
    f.check(ref[i].sum().item<std::int64_t>() == static_cast<std::int64_t>(pixelsOn),
            label + " reference pixels_on " + std::to_string(i));
    const double limit = kMaskFlipBase + kMaskFlipFraction * pixelsOn;
    if (flipped > f.maxFlipped) f.maxFlipped = flipped;
    f.check(flipped <= limit, label + " mask " + std::to_string(i),
            std::to_string(flipped) + " pixels differ (limit " + std::to_string(limit) + ")");
  }
}

class YoloGoldenSet {
 public:
  // Image tensors (`image.<stem>.*`) live in the detection vectors; the segmentation set
  // shares them.
  static constexpr const char* kImageVectors = "yolo_det_tiny_vectors.safetensors";

  explicit YoloGoldenSet(const std::string& stem)
      : json_(readJson(stem + "_vectors.json")),
        vectors_(celerity::test::openGolden(stem + "_vectors.safetensors")),
        images_(stem + "_vectors.safetensors" == kImageVectors ? vectors_
                                                               : celerity::test::openGolden(kImageVectors)) {}

  const json& doc() const { return json_; }
  const SafetensorsFile& vectors() const { return *vectors_; }

  // The models with vectors in this set: top-level keys that `weights` describes.
  std::vector<std::string> models() const {
    std::vector<std::string> names;
    for (const auto& [name, info] : json_.at("weights").items()) {
      if (json_.contains(name)) names.push_back(name);
    }
    return names;
  }

  std::shared_ptr<YoloDetector> loadModel(const std::string& model) const {
    const auto& info = json_.at("weights").at(model);
    std::vector<std::filesystem::path> files;
    if (info.contains("base")) files.push_back(celerity::test::goldenPath(info.at("base").get<std::string>()));
    files.push_back(celerity::test::goldenPath(info.at("file").get<std::string>()));
    return YoloDetector::load(files);
  }

  // The decoded RGB pixels ultralytics used: `orig_rgb` for JPEGs, else the file (exact).
  RgbImage image(const std::string& stem, const std::string& file) const {
    const std::string key = "image." + stem + ".orig_rgb";
    if (images_->contains(key)) return imageFromTensor(images_->tensor(key));
    celerity::ImageLoadOptions options;
    options.background = std::nullopt;  // PIL convert("RGB") drops alpha
    return celerity::loadImage((celerity::test::goldenPath("images") / file).string(), options);
  }

  // Every `<model>.<stem>.<mode>` prefix of the vector file.
  std::set<std::string> tensorCases() const {
    std::set<std::string> cases;
    for (const auto& info : vectors_->tensors()) {
      if (info.name.rfind("image.", 0) == 0) continue;
      cases.insert(info.name.substr(0, info.name.rfind('.')));
    }
    return cases;
  }

  // The `resized_rgb` reference of an image, when it gets resized.
  std::optional<at::Tensor> resized(const std::string& stem) const {
    const std::string key = "image." + stem + ".resized_rgb";
    if (!images_->contains(key)) return std::nullopt;
    return images_->tensor(key);
  }

 private:
  json json_;
  std::shared_ptr<SafetensorsFile> vectors_;
  std::shared_ptr<SafetensorsFile> images_;
};

void checkGeometry(const LetterboxGeometry& g, const json& lb, Failures& f, const std::string& label) {
  f.check(std::abs(g.ratio - lb.at("r").get<double>()) < 1e-12, label + " letterbox r");
  f.check(g.resizedWidth == lb.at("new_unpad_wh")[0].get<int>() &&
              g.resizedHeight == lb.at("new_unpad_wh")[1].get<int>(),
          label + " new_unpad");
  f.check(g.top == lb.at("top").get<int>() && g.bottom == lb.at("bottom").get<int>() &&
              g.left == lb.at("left").get<int>() && g.right == lb.at("right").get<int>(),
          label + " padding");
  f.check(g.inputHeight == lb.at("input_hw")[0].get<int>() && g.inputWidth == lb.at("input_hw")[1].get<int>(),
          label + " input size");
}

// Runs one set (det or seg): every model × image × mode in its JSON.
void runSet(const std::string& stem) {
  const YoloGoldenSet set(stem);
  const json& doc = set.doc();
  const json& args = doc.at("predict_args");
  Failures f;
  std::set<std::string> covered;
  int cases = 0;
  for (const auto& model : set.models()) {
    const auto detector = set.loadModel(model);
    const bool segment = detector->producesMasks();
    for (const auto& [imageStem, info] : doc.at(model).items()) {
      const RgbImage image = set.image(imageStem, info.at("file").get<std::string>());
      const auto origHw = info.at("orig_hw");
      f.check(image.height == origHw[0].get<int>() && image.width == origHw[1].get<int>(),
              model + "." + imageStem + " image size");
      for (const auto& [mode, modeInfo] : info.items()) {
        if (!modeInfo.is_object() || !modeInfo.contains("letterbox")) continue;
        const std::string label = model + "." + imageStem + "." + mode;
        covered.insert(label);
        ++cases;
        DetectOptions options;
        options.confidence = info.at("conf").get<double>();
        options.iou = args.at("iou").get<double>();
        options.maxDetections = args.at("max_det").get<int>();
        options.imageSize = args.at("imgsz").get<int>();
        options.minimalPadding = mode == "rect";

        // Letterbox: geometry, and the resize bit for bit.
        const auto input = detector->prepare(image, options);
        checkGeometry(input.geometry, modeInfo.at("letterbox"), f, label);
        if (const auto reference = set.resized(imageStem)) {
          const auto resized = celerity::resizeLinear(image, input.geometry.resizedWidth,
                                                      input.geometry.resizedHeight);
          f.check(at::equal(tensorFromImage(resized), *reference), label + " cv::resize pixels");
        } else {
          f.check(!input.geometry.needsResize(), label + " needs a resize the golden lacks");
        }
        const auto& shape = modeInfo.at("input_shape");
        f.check(input.tensor.size(2) == shape[2].get<std::int64_t>() &&
                    input.tensor.size(3) == shape[3].get<std::int64_t>(),
                label + " input shape");

        // Raw head output.
        const auto raw = detector->infer(input.tensor);
        const auto refRaw = set.vectors().tensor(label + ".raw");
        const std::int64_t nc = detector->config().numClasses;
        if (raw.prediction.sizes() != refRaw.sizes()) {
          f.check(false, label + " raw shape");
          continue;
        }
        f.within(raw.prediction.narrow(1, 0, 4), refRaw.narrow(1, 0, 4), kBoxTolerancePx, label + " raw boxes");
        f.within(raw.prediction.narrow(1, 4, nc), refRaw.narrow(1, 4, nc), kScoreTolerance, label + " raw scores");
        double coefLimit = 0;
        if (segment) {
          const auto refCoef = refRaw.narrow(1, 4 + nc, refRaw.size(1) - 4 - nc);
          coefLimit = kRelativeTolerance * refCoef.abs().max().item<double>();
          f.within(raw.prediction.narrow(1, 4 + nc, refCoef.size(1)), refCoef, coefLimit, label + " raw coefficients");
          const auto refProto = set.vectors().tensor(label + ".proto");
          f.within(raw.proto, refProto, kRelativeTolerance * refProto.abs().max().item<double>(), label + " proto");
        }

        // NMS rows, final detections, masks.
        const auto stages = detector->postprocess(raw, input.geometry, options, /*withInputMasks=*/segment);
        compareRows(stages.nms, set.vectors().tensor(label + ".nms"), coefLimit, label + " nms", f);
        const auto& d = stages.detections;
        const auto dets = d.count() == 0
                              ? at::zeros({0, 6})
                              : at::cat({d.boxes, d.scores.unsqueeze(1), d.classes.unsqueeze(1).to(at::kFloat)}, 1);
        const auto refDets = set.vectors().tensor(label + ".dets");
        compareRows(dets, refDets, 0, label + " dets", f);
        f.check(d.count() == modeInfo.at("n_dets").get<std::int64_t>(), label + " n_dets");
        if (segment && refDets.size(0) > 0) {
          const auto& masksInfo = info.contains("masks") ? info.at("masks") : modeInfo.at("masks");
          const auto& retinaInfo = info.contains("masks_retina") ? info.at("masks_retina") : modeInfo.at("masks_retina");
          compareMasks(stages.inputMasks,
                       unpackMasks(set.vectors().tensor(label + ".masks_packed"), masksInfo.at("shape")[2].get<std::int64_t>()),
                       masksInfo, label + " masks", f);
          compareMasks(d.masks,
                       unpackMasks(set.vectors().tensor(label + ".masks_retina_packed"),
                                   retinaInfo.at("shape")[2].get<std::int64_t>()),
                       retinaInfo, label + " retina masks", f);
        }
      }
    }
  }
  // Every case of the vector file was run.
  for (const auto& name : set.tensorCases()) f.check(covered.count(name) != 0, name + " was not run");
  qInfo("%s: %d cases; closest to tolerance: %s at %.3f of its limit; most flipped mask pixels %lld",
        stem.c_str(), cases, f.worstLabel.c_str(), f.worstRatio, static_cast<long long>(f.maxFlipped));
  QVERIFY2(cases > 0, ("no cases in " + stem).c_str());
  QVERIFY2(f.items.empty(), (stem + ": " + std::to_string(f.items.size()) + " failures" + f.text()).c_str());
}

}  // namespace

class TestYoloGolden : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { at::set_num_threads(1); }

  void layerStatsOfTheFirstImage() {
    // Per-layer outputs of the unfused ultralytics model on the first image (fused here: the
    // README bounds the difference far below the tolerance used).
    for (const std::string stem : {"yolo_det_tiny", "yolo_seg_tiny"}) {
      const YoloGoldenSet set(stem);
      for (const auto& [key, layers] : set.doc().at("layer_stats").items()) {
        const std::string model = key.substr(0, key.find('.'));
        const std::string rest = key.substr(key.find('.') + 1);
        const std::string imageStem = rest.substr(0, rest.find('.'));
        const std::string mode = rest.substr(rest.find('.') + 1);
        const auto& info = set.doc().at(model).at(imageStem);
        const auto detector = set.loadModel(model);
        DetectOptions options;
        options.minimalPadding = mode == "rect";
        const auto input = detector->prepare(set.image(imageStem, info.at("file").get<std::string>()), options);
        at::NoGradGuard noGrad;
        const auto outputs = detector->model()->layerOutputs(input.tensor);
        Failures f;
        for (const auto& layer : layers) {
          const auto i = layer.at("i").get<std::size_t>();
          if (i >= outputs.size()) continue;
          const auto& out = outputs[i];
          const std::string label = key + " layer " + std::to_string(i) + " " + layer.at("type").get<std::string>();
          const auto shape = layer.at("shape").get<std::vector<std::int64_t>>();
          if (out.sizes().vec() != shape) {
            f.check(false, label + " shape");
            continue;
          }
          const double scale = std::max(std::abs(layer.at("min").get<double>()), std::abs(layer.at("max").get<double>()));
          const auto first8 = at::tensor(layer.at("first8").get<std::vector<double>>(), at::kDouble);
          const auto mine = out.reshape({-1}).narrow(0, 0, first8.numel()).to(at::kDouble);
          f.within(mine, first8, 1e-3 * scale, label + " first values");
          f.check(std::abs(out.mean().item<double>() - layer.at("mean").get<double>()) <= 1e-3 * scale, label + " mean");
        }
        QVERIFY2(f.items.empty(), f.text().c_str());
      }
    }
  }

  void detection() { runSet("yolo_det_tiny"); }
  void segmentation() { runSet("yolo_seg_tiny"); }

  void letterboxWithoutResizeNeedsNoOpenCv() {
    // An image already at its letterboxed width only gets padded: plain C++ on every build.
    const auto g = celerity::computeLetterbox(640, 480, 640, 32, true);
    QVERIFY(!g.needsResize());
    QCOMPARE(g.inputHeight, 480);
    const auto square = celerity::computeLetterbox(640, 480, 640, 32, false);
    QCOMPARE(square.top, 80);
    QCOMPARE(square.bottom, 80);
    const auto t = celerity::letterboxTensorFromResized(RgbImage::filled(640, 480, 255, 0, 0), square);
    QCOMPARE(t.size(2), 640);
    QCOMPARE(t[0][0][0][0].item<float>(), 114.0f / 255.0f);
    QCOMPARE(t[0][0][80][0].item<float>(), 1.0f);
  }

  void haarFindsTheAstronautsFace() {
    celerity::ImageLoadOptions load;
    load.background = std::nullopt;
    const RgbImage image = celerity::loadImage(celerity::test::goldenPath("images/astronaut.png").string(), load);
    celerity::HaarFaceDetector haar;
    const auto faces = haar.detect(image, DetectOptions{});
    QVERIFY2(faces.count() >= 1, "no face found");
    // The astronaut's face, marked by hand on the 512×512 photo (forehead to chin, ear to
    // ear): the best-overlapping detection must cover it.
    const std::array<double, 4> face{175, 70, 275, 185};
    double bestIou = 0;
    std::int64_t best = -1;
    std::string boxes;
    for (std::int64_t i = 0; i < faces.count(); ++i) {
      const auto b = faces.boxes[i];
      const double x1 = b[0].item<double>(), y1 = b[1].item<double>();
      const double x2 = b[2].item<double>(), y2 = b[3].item<double>();
      const double iw = std::max(0.0, std::min(x2, face[2]) - std::max(x1, face[0]));
      const double ih = std::max(0.0, std::min(y2, face[3]) - std::max(y1, face[1]));
      const double inter = iw * ih;
      const double iou = inter / ((x2 - x1) * (y2 - y1) + (face[2] - face[0]) * (face[3] - face[1]) - inter);
      boxes += " [" + std::to_string(x1) + "," + std::to_string(y1) + "," + std::to_string(x2) + "," +
               std::to_string(y2) + "]";
      if (iou > bestIou) {
        bestIou = iou;
        best = i;
      }
    }
    qInfo("Haar: %lld boxes, best face IoU %.3f:%s", static_cast<long long>(faces.count()), bestIou, boxes.c_str());
    QVERIFY2(bestIou >= 0.5, ("face IoU " + std::to_string(bestIou) + "; boxes" + boxes).c_str());
    QVERIFY(faces.scores[best].item<float>() >= 0.5f);
    QCOMPARE(faces.classes[best].item<std::int64_t>(), std::int64_t{0});
    QVERIFY(!faces.hasMasks());
  }
};

QTEST_APPLESS_MAIN(TestYoloGolden)
#include "tst_yolo_golden.moc"
