// The detailer pass through the engine, on the golden tiny SD 1.x checkpoint and the golden
// photos: faces found by the built-in Haar detector on a strip of three photos are inpainted
// batched and one by one with the same result, [SKIP] leaves a region untouched, detectors
// stay loaded and detections are cached, several tabs run in one detection pass, and the
// ADetailer entries of the infotext read back into the same tabs; tab prompts bring their own
// LoRAs.
#include <algorithm>
#include <cmath>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "celerity/Engine.h"
#include "celerity/Infotext.h"
#include "common/GoldenSupport.h"
#include "metadata/DetailerInfotext.h"
#include "detail/DetailerPass.h"
#include "detail/DetectorSet.h"
#include "detail/HaarFaceDetector.h"
#include "imaging/ImageFiles.h"
#include "metadata/GenerationParametersMapping.h"
#include "metadata/PngTextChunks.h"
#include "pipeline/StageObserver.h"

using namespace celerity;

class TestDetailerGolden : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string stripPath_;
  RgbImage strip_;

  static int countSpans(const JobProfile& profile, const std::string& name) {
    return static_cast<int>(std::count_if(profile.spans.begin(), profile.spans.end(),
                                          [&](const ProfileSpan& s) { return s.name == name; }));
  }

  Request request(bool batched) const {
    Request r;
    r.checkpointPath = test::goldenPath("sd15_tiny.safetensors").string();
    r.prompt = "portrait photo";
    r.seed = 11;
    r.steps = 5;
    r.width = 64;  // the crops' processing size (ADetailer: the main image's size)
    r.height = 64;
    r.img2img.initImagePath = stripPath_;
    r.detailer.skipImg2Img = true;
    DetailerTab face;
    face.model = kBuiltinFaceDetector;
    face.denoisingStrength = 0.5;
    r.detailer.tabs = {face};
    r.optimizations["detail.batch_inpaint"] = batched;
    return r;
  }

  static JobResult run(Engine& engine, const Request& r) {
    Job job;
    job.request = r;
    job.saveImages = false;
    return engine.run(job);
  }

  static int maxAbsDifference(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
    int worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(int(a[i]) - int(b[i])));
    return worst;
  }

 private slots:
  void initTestCase() {
    // Three photos side by side on black: astronaut, messi5 (two faces), basketball1.
    std::vector<RgbImage> photos;
    for (const char* name : {"astronaut.png", "messi5.jpg", "basketball1.png"}) {
      photos.push_back(loadImage((test::goldenPath("images") / name).string()));
    }
    int width = 0, height = 0;
    for (const auto& p : photos) {
      width += p.width;
      height = std::max(height, p.height);
    }
    strip_ = RgbImage(width, height);
    int x0 = 0;
    for (const auto& p : photos) {
      for (int y = 0; y < p.height; ++y) std::copy_n(p.at(0, y), p.width * 3, strip_.at(x0, y));
      x0 += p.width;
    }
    stripPath_ = dir_.filePath("strip.png").toStdString();
    writePngWithParameters(stripPath_, strip_.pixels, strip_.width, strip_.height, "");
  }

  void batchedEqualsSequential() {
    Engine engine;
    const auto batched = run(engine, request(true));
    QVERIFY2(batched.outcome == JobOutcome::Finished, batched.error.toString().c_str());
    const auto sequential = run(engine, request(false));
    QVERIFY2(sequential.outcome == JobOutcome::Finished, sequential.error.toString().c_str());

    const auto& a = batched.output.images.at(0);
    const auto& b = sequential.output.images.at(0);
    const auto regions = static_cast<int>(a.detailedRegions.size());
    QVERIFY2(regions >= 3, qPrintable(QString("only %1 faces found").arg(regions)));
    QCOMPARE(b.detailedRegions.size(), a.detailedRegions.size());
    for (std::size_t i = 0; i < a.detailedRegions.size(); ++i) {
      QCOMPARE(a.detailedRegions[i].x1, b.detailedRegions[i].x1);
      QCOMPARE(a.detailedRegions[i].label, std::string("face"));
      QCOMPARE(a.detailedRegions[i].mask.size(), std::size_t(a.width) * a.height);
    }
    // Sequential: one sampling pass per region; batched: fewer (the photos' faces are apart).
    QCOMPARE(countSpans(sequential.output.profile, stages::kDetailSample), regions);
    QVERIFY(countSpans(batched.output.profile, stages::kDetailSample) < regions);
    // The same picture up to batched floating-point sums, and a changed one.
    QCOMPARE(a.width, strip_.width);
    QVERIFY(a.rgb != strip_.pixels);
    const int difference = maxAbsDifference(a.rgb, b.rgb);
    QVERIFY2(difference <= 3, qPrintable(QString("batched differs by %1").arg(difference)));
    // Pixels far from every face are the photo's own.
    QCOMPARE(a.rgb[0], strip_.pixels[0]);
    QVERIFY(a.infotext.find("ADetailer model: haar_face") != std::string::npos);
  }

  void skipLeavesItsRegionUntouched() {
    Engine engine;
    auto r = request(true);
    r.detailer.tabs[0].prompt = "[SKIP] [SEP] a smiling face";
    const auto result = run(engine, r);
    QVERIFY2(result.outcome == JobOutcome::Finished, result.error.toString().c_str());
    const auto& image = result.output.images.at(0);
    QVERIFY(image.detailedRegions.size() >= 2);
    QVERIFY(image.detailedRegions[0].skipped);
    QVERIFY(!image.detailedRegions[1].skipped);
    const auto& skipped = image.detailedRegions[0];
    // Inside the first face's box nothing changed (other crops do not reach it: the photos'
    // faces are far apart).
    const int cx = static_cast<int>((skipped.x1 + skipped.x2) / 2), cy = static_cast<int>((skipped.y1 + skipped.y2) / 2);
    for (int dy = -3; dy <= 3; ++dy) {
      for (int dx = -3; dx <= 3; ++dx) {
        const auto* got = image.rgb.data() + (std::size_t(cy + dy) * image.width + cx + dx) * 3;
        const auto* want = strip_.at(cx + dx, cy + dy);
        QCOMPARE(got[0], want[0]);
        QCOMPARE(got[2], want[2]);
      }
    }
    QVERIFY(image.rgb != strip_.pixels);  // the second face was repainted
  }

  void detectorsStayLoadedAndDetectionsAreCached() {
    DetectorSet set({}, {}, at::kCPU);
    JobControl control;
    auto first = set.acquire(kBuiltinFaceDetector, true, control);
    auto second = set.acquire(kBuiltinFaceDetector, true, control);
    QCOMPARE(set.loadsPerformed(), 1);
    QCOMPARE(first.get(), second.get());
    set.acquire(kBuiltinFaceDetector, false, control);  // hands back the kept one and forgets it
    set.acquire(kBuiltinFaceDetector, false, control);
    QCOMPARE(set.loadsPerformed(), 2);

    DetectOptions options;
    const auto once = set.detect(*first, "haar", strip_, options, true, control);
    const auto twice = set.detect(*first, "haar", strip_, options, true, control);
    QCOMPARE(set.detectionsRun(), 1);
    QCOMPARE(twice.count(), once.count());
    QVERIFY(once.count() >= 3);
    options.confidence = 0.9;  // other settings: detected again
    set.detect(*first, "haar", strip_, options, true, control);
    set.detect(*first, "haar", strip_, options, false, control);
    QCOMPARE(set.detectionsRun(), 3);
  }

  void twoTabsInOneDetectionPass() {
    EngineOptions options;
    options.detectorFolders = {test::goldenPath("").string()};
    Engine engine(options);
    auto r = request(true);
    DetailerTab yolo;
    yolo.model = "yolo_det_tiny.safetensors";  // random weights: boxes, but deterministic ones
    yolo.confidence = 0.5;
    yolo.maskTopK = 2;
    yolo.denoisingStrength = 0.3;
    r.detailer.tabs.push_back(yolo);
    r.optimizations["detail.single_pass"] = true;
    const auto result = run(engine, r);
    QVERIFY2(result.outcome == JobOutcome::Finished, result.error.toString().c_str());
    const auto& image = result.output.images.at(0);
    const auto tabCount = [&](int tab) {
      return std::count_if(image.detailedRegions.begin(), image.detailedRegions.end(),
                           [&](const DetailedRegion& region) { return region.tab == tab; });
    };
    QVERIFY(tabCount(0) >= 3);
    QCOMPARE(tabCount(1), 2L);
    QCOMPARE(countSpans(result.output.profile, stages::kDetail), 1);  // one pass for both tabs
    QCOMPARE(countSpans(result.output.profile, stages::kDetailLoad), 2);

    // The ADetailer entries read back into the same tabs.
    DetailerParams back;
    QVERIFY(detailerFromInfotext(image.parameters.extra, back));
    QCOMPARE(back.tabs.size(), std::size_t{2});
    QCOMPARE(back.tabs[1].model, yolo.model);
    QCOMPARE(back.tabs[1].confidence, 0.5);
    QCOMPARE(back.tabs[1].maskTopK, 2);
    QCOMPARE(back.tabs[0].denoisingStrength, 0.5);
    QVERIFY(image.infotext.find("ADetailer model 2nd: yolo_det_tiny.safetensors") != std::string::npos);

    // A second job on the same picture: the detectors stay loaded.
    const auto again = run(engine, r);
    QCOMPARE(countSpans(again.output.profile, stages::kDetailLoad), 0);
    QVERIFY(again.output.images.at(0).rgb == image.rgb);
  }

  // A region's prompt brings its own LoRAs, as ADetailer's img2img job activates its own
  // prompt's: the set applies to that region only, the job's prompt set does not leak into a
  // tab prompt without tags, and the next job finds the model as it was.
  void tabPromptLorasApplyToTheirRegions() {
    EngineOptions options;
    options.loraFolders = {test::goldenDir().string()};
    Engine engine(options);
    const std::string lora = " <lora:lora_sd15_tiny:1>";
    const auto detail = [&](const std::string& mainPrompt, const std::string& tabPrompt, bool batched = false) {
      auto r = request(batched);
      r.prompt = mainPrompt;
      r.detailer.tabs[0].prompt = tabPrompt;
      auto result = run(engine, r);
      if (result.outcome != JobOutcome::Finished) qWarning("%s", result.error.toString().c_str());
      return result;
    };
    const auto plain = detail("portrait photo", "a face");
    const auto withLora = detail("portrait photo", "a face" + lora);
    QCOMPARE(plain.outcome, JobOutcome::Finished);
    QCOMPARE(withLora.outcome, JobOutcome::Finished);
    const auto& a = plain.output.images.at(0);
    const auto& b = withLora.output.images.at(0);
    QVERIFY(a.detailedRegions.size() >= 3);
    QVERIFY2(maxAbsDifference(a.rgb, b.rgb) > 3, "the tab prompt's LoRA changed nothing");
    QVERIFY(countSpans(withLora.output.profile, "lora.apply") >= 1);

    // The job's own LoRA is not the detailer's when the tab prompt names none ...
    const auto mainOnly = detail("portrait photo" + lora, "a face");
    QVERIFY2(mainOnly.output.images.at(0).rgb == a.rgb, "the main prompt's LoRA leaked into the tab");
    // ... but an empty tab prompt is the main prompt, tags included.
    const auto inherited = detail("portrait photo" + lora, "");
    const auto explicitTab = detail("portrait photo", "portrait photo" + lora);
    QVERIFY(inherited.output.images.at(0).rgb == explicitTab.output.images.at(0).rgb);
    QVERIFY(inherited.output.images.at(0).rgb != detail("portrait photo", "").output.images.at(0).rgb);

    // One region with the LoRA, the others without: the first region is painted as with the
    // LoRA everywhere (regions run in order, and the faces are far apart).
    const auto mixed = detail("portrait photo", "a face" + lora + " [SEP] a face");
    const auto& c = mixed.output.images.at(0);
    const auto& first = c.detailedRegions.at(0);
    const int cx = static_cast<int>((first.x1 + first.x2) / 2), cy = static_cast<int>((first.y1 + first.y2) / 2);
    const auto pixel = [&](const GeneratedImage& image) {
      return std::vector<std::uint8_t>(image.rgb.begin() + (std::ptrdiff_t(cy) * image.width + cx) * 3,
                                       image.rgb.begin() + (std::ptrdiff_t(cy) * image.width + cx) * 3 + 3);
    };
    QVERIFY(pixel(c) == pixel(b));
    QVERIFY(c.rgb != b.rgb && c.rgb != a.rgb);
    // Batched, regions with different LoRA sets never share a sampling pass.
    const auto batchedSame = detail("portrait photo", "a face", true);
    const auto batchedMixed = detail("portrait photo", "a face" + lora + " [SEP] a face", true);
    QVERIFY(countSpans(batchedMixed.output.profile, stages::kDetailSample) >
            countSpans(batchedSame.output.profile, stages::kDetailSample));

    // The next job sees the model without any LoRA again.
    QVERIFY(detail("portrait photo", "a face").output.images.at(0).rgb == a.rgb);
  }

  // ADetailer's "use separate VAE": the tab's VAE paints its regions, "None" (an empty path)
  // is the checkpoint's own even when the job has a standalone VAE.
  void tabVaeOverridesTheJobs() {
    QTemporaryDir vaes;
    const auto shifted = vaes.filePath("shifted.safetensors").toStdString();
    test::writeStandaloneVae(test::goldenPath("sd15_tiny.safetensors"), shifted, 0.25);
    Engine engine;
    const auto detail = [&](const std::string& jobVae, std::optional<std::string> tabVae) {
      auto r = request(true);
      r.vaePath = jobVae;
      r.detailer.tabs[0].vaePath = std::move(tabVae);
      auto result = run(engine, r);
      if (result.outcome != JobOutcome::Finished) qWarning("%s", result.error.toString().c_str());
      return result.output.images.at(0);
    };
    const auto plain = detail("", std::nullopt);
    const auto tabVae = detail("", shifted);
    QVERIFY(tabVae.rgb != plain.rgb);
    QVERIFY(tabVae.infotext.find("ADetailer use separate VAE: True, ADetailer VAE: " + shifted) != std::string::npos);
    QVERIFY(detail(shifted, std::nullopt).rgb == tabVae.rgb);       // the job's VAE, inherited
    QVERIFY(detail(shifted, std::string()).rgb == plain.rgb);       // "None": the checkpoint's own
    DetailerParams back;
    QVERIFY(detailerFromInfotext(detail(shifted, std::string()).parameters.extra, back));
    QCOMPARE(back.tabs.at(0).vaePath, std::optional<std::string>(std::string()));
  }

  void commandLineTabsFromJsonAndBackFromThePng() {
    QVERIFY2(!qEnvironmentVariableIsEmpty("CELERITY_CLI"), "CELERITY_CLI not set");
    QTemporaryDir out;
    const auto json = out.filePath("tabs.json");
    QFile file(json);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"([{"ad_model": "haar_face", "ad_denoising_strength": 0.5, "ad_prompt": "a face [SEP] [SKIP]",
                    "ad_inpaint_only_masked_padding": 16}])");
    file.close();
    const auto run = [](const QStringList& arguments) {
      QProcess process;
      process.start(qEnvironmentVariable("CELERITY_CLI"), arguments);
      process.waitForFinished(600000);
      return std::make_pair(process.exitCode(), QString::fromUtf8(process.readAllStandardError()));
    };
    const auto model = QString::fromStdString(test::goldenPath("sd15_tiny.safetensors").string());
    const auto first = out.filePath("first");
    auto [code, err] = run({"generate", "--model", model, "--prompt", "portrait photo", "--init-image",
                            QString::fromStdString(stripPath_), "--ad-json", json, "--ad-skip-img2img", "--steps", "4",
                            "--width", "64", "--height", "64", "--seed", "3", "--out", first});
    QVERIFY2(code == 0, qPrintable(err));
    const auto pngs = QDir(first).entryList({"*.png"});
    QCOMPARE(pngs.size(), 1);
    const auto text = readPngInfotext(QDir(first).filePath(pngs[0]).toStdString()).value_or("");
    QVERIFY2(text.find("ADetailer model: haar_face") != std::string::npos, text.c_str());
    QVERIFY2(text.find("ADetailer prompt: a face [SEP] [SKIP],") != std::string::npos, text.c_str());
    QVERIFY(text.find("ADetailer inpaint padding: 16") != std::string::npos);

    // --params-from brings the tabs back: the same image again.
    const auto second = out.filePath("second");
    std::tie(code, err) = run({"generate", "--model", model, "--params-from", QDir(first).filePath(pngs[0]),
                               "--init-image", QString::fromStdString(stripPath_), "--ad-skip-img2img", "--out", second});
    QVERIFY2(code == 0, qPrintable(err));
    const auto again = QDir(second).entryList({"*.png"});
    QCOMPARE(again.size(), 1);
    QFile a(QDir(first).filePath(pngs[0])), b(QDir(second).filePath(again[0]));
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QCOMPARE(a.readAll(), b.readAll());
  }

  void badTabSettingsNameTheTab() {
    Engine engine;
    auto r = request(true);
    r.detailer.tabs[0].sampler = "Euler z";
    auto result = run(engine, r);
    QCOMPARE(result.outcome, JobOutcome::Failed);
    QVERIFY2(result.error.where.find("Request.detailer.tabs[0]") != std::string::npos, result.error.where.c_str());
    r = request(true);
    r.detailer.tabs[0].model = "../face.pt";
    result = run(engine, r);
    QCOMPARE(result.outcome, JobOutcome::Failed);
    QCOMPARE(result.error.code, ErrorCode::InvalidArgument);
    r = request(true);
    r.detailer.tabs[0].model = "face_yolov8n.pt";  // no detector folders configured
    result = run(engine, r);
    QCOMPARE(result.error.code, ErrorCode::FileNotFound);
  }
};

QTEST_APPLESS_MAIN(TestDetailerGolden)
#include "tst_detailer_golden.moc"
