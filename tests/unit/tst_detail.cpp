// Detailer building blocks: ADetailer's mask operations (offset, dilate/erode, merge, invert,
// area-ratio filter, top-k, sort orders), the letterbox geometry, and ultralytics' NMS / box
// scaling / mask cropping semantics on small hand-made inputs.
#include <QTest>

#include <ATen/ATen.h>

#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include "celerity/Error.h"
#include "detail/Letterbox.h"
#include "detail/MaskOps.h"
#include "detail/YoloPostprocess.h"
#include "io/ShapeMap.h"
#include "models/yolo/YoloConfig.h"

using namespace celerity;

namespace {

Mask pattern(int w, int h, std::initializer_list<std::pair<int, int>> on) {
  Mask m = Mask::zeros(w, h);
  for (auto [x, y] : on) m.at(x, y) = 255;
  return m;
}

DetailRegion region(float x1, float y1, float x2, float y2, float score) {
  DetailRegion r;
  r.box = {x1, y1, x2, y2};
  r.score = score;
  r.mask = maskFromBox(r.box, 100, 100);
  return r;
}

std::vector<float> scoresOf(const std::vector<DetailRegion>& regions) {
  std::vector<float> s;
  for (const auto& r : regions) s.push_back(r.score);
  return s;
}

}  // namespace

class TestDetail : public QObject {
  Q_OBJECT

 private slots:
  void offsetMovesRightAndUp() {
    const Mask m = pattern(5, 4, {{1, 2}});
    QVERIFY(offsetMask(m, 2, 1) == pattern(5, 4, {{3, 1}}));   // x → right, y ↑ up
    QVERIFY(offsetMask(m, -1, -1) == pattern(5, 4, {{0, 3}}));
    QVERIFY(offsetMask(m, 9, 0).allBlack());                   // pushed out entirely
    QVERIFY(offsetMask(m, 0, 0) == m);
  }

  void dilateAndErodeAreSquareMorphology() {
    const Mask dot = pattern(7, 7, {{3, 3}});
    const Mask grown = dilateErode(dot, 3);
    QCOMPARE(grown.countNonZero(), std::int64_t{9});
    QCOMPARE(grown.at(2, 2), std::uint8_t{255});
    QCOMPARE(grown.at(4, 4), std::uint8_t{255});
    QCOMPARE(dilateErode(grown, -3), dot);
    QVERIFY(dilateErode(dot, -2).allBlack());
    QVERIFY(dilateErode(dot, 0) == dot);
    // An even kernel is anchored at k/2: each pixel takes the max of 2 pixels left/up and 1
    // right/down, so a dot grows 2 right/down and 1 left/up.
    const Mask even = dilateErode(dot, 4);
    QCOMPARE(even.countNonZero(), std::int64_t{16});
    QCOMPARE(even.at(2, 2), std::uint8_t{255});
    QCOMPARE(even.at(5, 5), std::uint8_t{255});
    QCOMPARE(even.at(1, 1), std::uint8_t{0});
    QCOMPARE(even.at(6, 6), std::uint8_t{0});
#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV
    // Equal to cv::dilate / cv::erode with np.ones((k, k)) on a random mask, edges included.
    Mask noise = Mask::zeros(23, 17);
    for (std::size_t i = 0; i < noise.pixels.size(); ++i) noise.pixels[i] = (i * 7919 % 13) < 4 ? 255 : 0;
    for (int k : {2, 3, 4, 5}) {
      for (bool grow : {true, false}) {
        cv::Mat src(noise.height, noise.width, CV_8U, noise.pixels.data());
        cv::Mat dst;
        const cv::Mat kernel = cv::Mat::ones(k, k, CV_8U);
        if (grow) cv::dilate(src, dst, kernel); else cv::erode(src, dst, kernel);
        const Mask mine = dilateErode(noise, grow ? k : -k);
        QVERIFY(std::equal(mine.pixels.begin(), mine.pixels.end(), dst.data));
      }
    }
#endif
  }

  void mergeAndInvert() {
    const Mask a = pattern(3, 2, {{0, 0}});
    const Mask b = pattern(3, 2, {{2, 1}});
    const auto none = mergeInvert({a, b}, MaskMergeMode::None);
    QCOMPARE(none.size(), std::size_t{2});
    const auto merged = mergeInvert({a, b}, MaskMergeMode::Merge);
    QCOMPARE(merged.size(), std::size_t{1});
    QVERIFY(merged[0] == pattern(3, 2, {{0, 0}, {2, 1}}));
    const auto inverted = mergeInvert({a, b}, MaskMergeMode::MergeInvert);
    QVERIFY(inverted[0] == pattern(3, 2, {{1, 0}, {2, 0}, {0, 1}, {1, 1}}));
    QVERIFY(mergeInvert({}, MaskMergeMode::Merge).empty());
    QVERIFY_THROWS_EXCEPTION(CelerityError, mergeMasks({a, Mask::zeros(2, 2)}));
  }

  void preprocessDropsMasksErodedAway() {
    const Mask small = pattern(8, 8, {{1, 1}});
    Mask big = Mask::zeros(8, 8);
    for (int y = 2; y < 7; ++y) for (int x = 2; x < 7; ++x) big.at(x, y) = 255;
    const auto out = preprocessMasks({small, big}, -3, 0, 0, MaskMergeMode::None);
    QCOMPARE(out.size(), std::size_t{1});
    QCOMPARE(out[0].countNonZero(), std::int64_t{9});
    // Offset first, then dilate, then merge.
    const auto merged = preprocessMasks({small}, 3, 1, 0, MaskMergeMode::Merge);
    QCOMPARE(merged.size(), std::size_t{1});
    QCOMPARE(merged[0].at(3, 2), std::uint8_t{255});
    QCOMPARE(merged[0].at(0, 0), std::uint8_t{0});
  }

  void areaRatioTopKAndSorting() {
    // 100×100 image; areas 100, 400, 2500, 900.
    std::vector<DetailRegion> regions{region(0, 0, 10, 10, 0.9f), region(60, 60, 80, 80, 0.5f),
                                      region(40, 40, 90, 90, 0.7f), region(5, 50, 35, 80, 0.8f)};
    QCOMPARE(scoresOf(filterByAreaRatio(regions, 0.02, 0.25, 100, 100)),
             (std::vector<float>{0.5f, 0.7f, 0.8f}));
    QCOMPARE(scoresOf(filterByAreaRatio(regions, 0.0, 0.01, 100, 100)), (std::vector<float>{0.9f}));
    QCOMPARE(scoresOf(keepTopK(regions, 2, TopKBy::Area)), (std::vector<float>{0.7f, 0.8f}));
    QCOMPARE(scoresOf(keepTopK(regions, 2, TopKBy::Confidence)), (std::vector<float>{0.9f, 0.8f}));
    QCOMPARE(scoresOf(keepTopK(regions, 0, TopKBy::Area)), scoresOf(regions));
    QCOMPARE(scoresOf(sortRegions(regions, MaskSortOrder::LeftToRight, 100, 100)),
             (std::vector<float>{0.9f, 0.8f, 0.7f, 0.5f}));
    QCOMPARE(scoresOf(sortRegions(regions, MaskSortOrder::AreaDescending, 100, 100)),
             (std::vector<float>{0.7f, 0.8f, 0.5f, 0.9f}));
    // Centres: (5,5) (70,70) (65,65) (20,65); distances from (50,50): 63.6, 28.3, 21.2, 33.5.
    QCOMPARE(scoresOf(sortRegions(regions, MaskSortOrder::CenterToEdge, 100, 100)),
             (std::vector<float>{0.7f, 0.5f, 0.8f, 0.9f}));
    QCOMPARE(scoresOf(sortRegions(regions, MaskSortOrder::None, 100, 100)), scoresOf(regions));
  }

  void boxMasksAndRegions() {
    const Mask m = maskFromBox({1.7f, 2.2f, 3.9f, 3.0f}, 6, 5);  // columns 1…3, rows 2…3
    QCOMPARE(m.countNonZero(), std::int64_t{6});
    QCOMPARE(m.at(1, 2), std::uint8_t{255});
    QCOMPARE(m.at(3, 3), std::uint8_t{255});
    QCOMPARE(m.at(4, 3), std::uint8_t{0});
    Detections d = Detections::empty(6, 5, {"face"});
    d.boxes = at::tensor({1.7f, 2.2f, 3.9f, 3.0f}).view({1, 4});
    d.scores = at::tensor({0.8f});
    d.classes = at::tensor({std::int64_t{0}});
    const auto regions = regionsFromDetections(d);
    QCOMPARE(regions.size(), std::size_t{1});
    QVERIFY(regions[0].mask == m);
    d.masks = at::zeros({1, 5, 6}, at::kBool);
    d.masks[0][4][5] = true;
    QCOMPARE(regionsFromDetections(d)[0].mask, pattern(6, 5, {{5, 4}}));
  }

  void letterboxGeometry() {
    // 548×342 (rect): r = 640/548, new_unpad (640, 399), dh = 17 % 32 / 2 = 8.5 → top 8, bottom 9.
    const auto g = computeLetterbox(548, 342, 640, 32, true);
    QCOMPARE(g.resizedWidth, 640);
    QCOMPARE(g.resizedHeight, 399);
    QCOMPARE(g.top, 8);
    QCOMPARE(g.bottom, 9);
    QCOMPARE(g.inputHeight, 416);
    const auto square = computeLetterbox(548, 342, 640, 32, false);
    QCOMPARE(square.top, 120);
    QCOMPARE(square.bottom, 121);
    QCOMPARE(square.inputHeight, 640);
    QCOMPARE(roundHalfEven(2.5), 2);
    QCOMPARE(roundHalfEven(3.5), 4);
    QCOMPARE(roundHalfEven(-0.5), 0);
    QVERIFY_THROWS_EXCEPTION(CelerityError, computeLetterbox(0, 10));
  }

  void nmsFollowsTorchvision() {
    // IoU of boxes 0 and 1 is exactly 0.5: suppressed only when IoU > threshold.
    const auto boxes = at::tensor({0.f, 0.f, 10.f, 10.f, 0.f, 0.f, 10.f, 5.f, 20.f, 20.f, 30.f, 30.f}).view({3, 4});
    const auto scores = at::tensor({0.9f, 0.95f, 0.1f});
    QCOMPARE(nmsKeep(boxes, scores, 0.5).size(0), std::int64_t{3});
    const auto kept = nmsKeep(boxes, scores, 0.49);
    QCOMPARE(kept.size(0), std::int64_t{2});
    QCOMPARE(kept[0].item<std::int64_t>(), std::int64_t{1});
    QCOMPARE(kept[1].item<std::int64_t>(), std::int64_t{2});
  }

  void nonMaxSuppressionIsClassAware() {
    // Two anchors on the same box with different best classes both survive; a third of the
    // first class overlapping it is suppressed; a fourth is below the confidence.
    // Rows: cx, cy, w, h, score class 0, score class 1.
    const auto pred = at::tensor({50.f, 50.f, 20.f, 20.f, 0.9f, 0.1f,
                                  50.f, 50.f, 20.f, 20.f, 0.2f, 0.8f,
                                  51.f, 50.f, 20.f, 20.f, 0.7f, 0.3f,
                                  10.f, 10.f, 4.f, 4.f, 0.2f, 0.25f}).view({4, 6}).t().contiguous();
    NmsOptions options;
    options.confidence = 0.25;
    options.iou = 0.7;
    const auto rows = nonMaxSuppression(pred, 2, options);
    QCOMPARE(rows.size(0), std::int64_t{2});
    QCOMPARE(rows[0][4].item<float>(), 0.9f);
    QCOMPARE(rows[0][5].item<float>(), 0.0f);
    QCOMPARE(rows[1][5].item<float>(), 1.0f);
    QCOMPARE(rows[0][0].item<float>(), 40.0f);  // xyxy
    QCOMPARE(rows[0][3].item<float>(), 60.0f);
    options.agnostic = true;
    QCOMPARE(nonMaxSuppression(pred, 2, options).size(0), std::int64_t{1});
    options.agnostic = false;
    options.classes = {1};
    QCOMPARE(nonMaxSuppression(pred, 2, options).size(0), std::int64_t{1});
    options.classes = {};
    options.maxDetections = 1;
    QCOMPARE(nonMaxSuppression(pred, 2, options).size(0), std::int64_t{1});
  }

  void scaleBoxesAndCropMask() {
    // 548×342 letterboxed into 640×416: gain 640/548, pad (0, 8); clipped to the image.
    const auto boxes = at::tensor({0.f, 8.f, 640.f, 420.f}).view({1, 4});
    const auto scaled = scaleBoxes(boxes, 416, 640, 342, 548);
    QVERIFY(std::abs(scaled[0][2].item<float>() - 548.0f) < 1e-3f);
    QCOMPARE(scaled[0][1].item<float>(), 0.0f);
    QCOMPARE(scaled[0][3].item<float>(), 342.0f);  // clipped to H, not H − 1
    const auto masks = at::ones({1, 4, 5});
    const auto cropped = cropMask(masks, at::tensor({1.0f, 0.5f, 3.0f, 2.0f}).view({1, 4}));
    // Columns 1, 2 (1 ≤ c < 3); rows 1 (0.5 ≤ r < 2).
    QCOMPARE(cropped.sum().item<float>(), 2.0f);
    QCOMPARE(cropped[0][1][1].item<float>(), 1.0f);
    QCOMPARE(cropped[0][1][2].item<float>(), 1.0f);
  }

  void yoloConfigRefusesOtherNetworks() {
    ShapeMap shapes;
    shapes.source = "not_yolo.safetensors";
    shapes.add("model.0.conv.weight", {16, 3, 3, 3}, "F32");
    shapes.add("model.23.cv2.0.0.conv.weight", {16, 3, 3, 3}, "F32");
    try {
      (void)YoloConfig::fromWeights(shapes);
      QFAIL("accepted a network that is not YOLOv8");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::UnknownModel);
    }
  }
};

QTEST_APPLESS_MAIN(TestDetail)
#include "tst_detail.moc"
