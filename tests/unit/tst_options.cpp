// The optimization catalogue, toggle resolution and the A/B runner's arithmetic and run order,
// with a scripted engine (no models, no torch).
#include <QTest>

#include <cmath>

#include <nlohmann/json.hpp>

#include "celerity/AbRunner.h"
#include "celerity/Error.h"
#include "celerity/Options.h"

using namespace celerity;

namespace {

// Answers every job with a profile whose stage times depend on the job's toggles, and
// remembers the order of the runs.
class ScriptedEngine : public GenerationEngine {
 public:
  JobResult run(const Job& job) override {
    order.push_back(job.request.optimizations.count("text.cache") ? job.request.optimizations.at("text.cache") : -1);
    const bool cached = job.request.optimizations.count("text.cache") && job.request.optimizations.at("text.cache");
    JobResult result;
    result.outcome = failAt == static_cast<int>(order.size()) ? JobOutcome::Failed : JobOutcome::Finished;
    result.error = {ErrorCode::MalformedFile, "broken", "model.safetensors"};
    auto& profile = result.output.profile;
    const double encode = cached ? 1.0 : 10.0 + static_cast<double>(order.size());
    profile.spans.push_back({"text.encode", -1, 0, 0.0, encode});
    profile.spans.push_back({"sample.step", -1, 0, encode, encode + 20.0});
    profile.wallMs = encode + 20.0;
    GeneratedImage image;
    image.width = 2;
    image.height = 1;
    image.rgb = {10, 20, 30, 40, 50, static_cast<std::uint8_t>(cached ? 64 : 60)};
    result.output.images.push_back(image);
    return result;
  }
  std::vector<LoadedModelInfo> loadedModels() const override { return {}; }
  DeviceCapabilities capabilities() const override { return {}; }
  void unloadAll() override {}

  std::vector<int> order;
  int failAt = -1;
};

}  // namespace

class TestOptions : public QObject {
  Q_OBJECT

 private slots:
  void catalogHasTheRuntimeToggles() {
    for (const auto* id : {"load.mmap", "load.parallel", "cache.keep_loaded", "text.cache", "unet.cfg_batch",
                           "unet.channels_last", "preview.throttle", "vae.tiled"}) {
      const auto* info = findOptimization(id);
      QVERIFY2(info != nullptr, id);
      QVERIFY(!info->title.empty());
      QVERIFY(!info->description.empty());
      QVERIFY(!info->stages.empty());
      QVERIFY(info->numerics != NumericsClass::Invalid);
    }
    QVERIFY(findOptimization("nope") == nullptr);
    QCOMPARE(std::string(numericsClassName(NumericsClass::ChangesImage)), std::string("changes image"));
  }

  void resolveAppliesOverridesOverDefaults() {
    const auto defaults = OptimizationSet();
    QVERIFY(defaults.enabled("text.cache"));
    QVERIFY(!defaults.enabled("vae.tiled"));
    const auto set = OptimizationSet::resolve({{"text.cache", false}, {"vae.tiled", true}});
    QVERIFY(!set.enabled("text.cache"));
    QVERIFY(set.enabled("vae.tiled"));
    const auto ids = set.enabledIds();
    QVERIFY(std::find(ids.begin(), ids.end(), "text.cache") == ids.end());
    QVERIFY(std::find(ids.begin(), ids.end(), "vae.tiled") != ids.end());
    // Only image-changing toggles that differ from their default go into the PNG metadata.
    QCOMPARE(set.imageChangingDifferences(), std::vector<std::string>{"vae.tiled=on"});
    QVERIFY(defaults.imageChangingDifferences().empty());
  }

  void unknownToggleNamesItselfAndTheKnownOnes() {
    try {
      OptimizationSet::resolve({{"unet.magic", true}});
      QFAIL("no error");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::InvalidArgument);
      QCOMPARE(e.error().where, std::string("optimizations.unet.magic"));
      QVERIFY(e.error().message.find("load.mmap") != std::string::npos);
    }
  }

  void parsesSettingsText() {
    OptimizationOverrides overrides;
    parseOptimizationSetting("text.cache=off", overrides);
    parseOptimizationSetting("vae.tiled=1", overrides);
    parseOptimizationSetting("load.mmap=true", overrides);
    QCOMPARE(overrides.at("text.cache"), false);
    QCOMPARE(overrides.at("vae.tiled"), true);
    QCOMPARE(overrides.at("load.mmap"), true);
    for (const auto* bad : {"text.cache", "=on", "text.cache=maybe", "nope=on"}) {
      QVERIFY_EXCEPTION_THROWN(parseOptimizationSetting(bad, overrides), CelerityError);
    }
  }

  void availabilityNeedsTheDevice() {
    OptimizationInfo cudaOnly{"x", "X", "x", false, {"sample.step"}, NumericsClass::Exact, OptimizationRequirement::Cuda};
    QVERIFY(!unavailableReason(cudaOnly, DeviceCapabilities{false, 1}).empty());
    QVERIFY(unavailableReason(cudaOnly, DeviceCapabilities{true, 2}).empty());
    OptimizationInfo torch2{"y", "Y", "y", false, {"sample.step"}, NumericsClass::Exact, OptimizationRequirement::Torch2};
    QVERIFY(unavailableReason(torch2, DeviceCapabilities{false, 1}).find("LibTorch 2") != std::string::npos);
    for (const auto& info : optimizationCatalog()) {
      QVERIFY2(unavailableReason(info, DeviceCapabilities{true, 2}).empty(), info.id.c_str());
    }
  }

  void previewMethodNamesRoundTrip() {
    for (auto method : {PreviewMethod::None, PreviewMethod::Projection, PreviewMethod::Taesd, PreviewMethod::FullVae}) {
      QCOMPARE(previewMethodFromName(previewMethodName(method)), method);
    }
    QVERIFY_EXCEPTION_THROWN(previewMethodFromName("fancy"), CelerityError);
  }

  void statsMedianMinMax() {
    auto s = statsOf("x", {5.0, 1.0, 3.0});
    QCOMPARE(s.medianMs, 3.0);
    QCOMPARE(s.minMs, 1.0);
    QCOMPARE(s.maxMs, 5.0);
    s = statsOf("x", {4.0, 1.0, 3.0, 2.0});
    QCOMPARE(s.medianMs, 2.5);
  }

  void imageDifference() {
    GeneratedImage a;
    a.width = 2;
    a.height = 1;
    a.rgb = {0, 0, 0, 0, 0, 0};
    auto b = a;
    auto same = compareImages(a, b);
    QVERIFY(same.compared);
    QCOMPARE(same.maxAbs, 0);
    QVERIFY(std::isinf(same.psnr));
    b.rgb[5] = 6;
    const auto diff = compareImages(a, b);
    QCOMPARE(diff.maxAbs, 6);
    QCOMPARE(diff.meanAbs, 1.0);
    QVERIFY(std::abs(diff.psnr - 10.0 * std::log10(255.0 * 255.0 / 6.0)) < 1e-9);  // MSE 36/6
    b.width = 1;
    QVERIFY(!compareImages(a, b).compared);
  }

  void abRunsInterleavedAndReportsMediansRatiosAndDifference() {
    ScriptedEngine engine;
    Request request;
    request.seed = -1;
    AbSettings settings;
    settings.toggles = {"text.cache"};
    settings.repeat = 3;
    settings.warmup = 1;
    std::vector<std::string> progress;
    const auto report = runAb(engine, engine, request, settings,
                              [&](const std::string& arm, int run, const JobResult&) {
                                progress.push_back(arm + std::to_string(run));
                              });
    QCOMPARE(engine.order, (std::vector<int>{0, 1, 0, 1, 0, 1, 0, 1}));  // A B A B …, warm-up first
    QCOMPARE(progress.front(), std::string("A-1"));
    QCOMPARE(progress.back(), std::string("B2"));
    QVERIFY(report.request.seed != -1);  // both arms draw the same noise
    QCOMPARE(report.a.runs.size(), size_t(3));
    QCOMPARE(report.b.runs.size(), size_t(3));
    // A's text.encode took 10 + run number (runs 3, 5, 7 measured): median 15.
    QCOMPARE(report.a.stages.at(0).name, std::string("text.encode"));
    QCOMPARE(report.a.stages.at(0).medianMs, 15.0);
    QCOMPARE(report.a.stages.at(0).minMs, 13.0);
    QCOMPARE(report.a.stages.at(0).maxMs, 17.0);
    QCOMPARE(report.b.stages.at(0).medianMs, 1.0);
    QCOMPARE(report.a.wall.medianMs, 35.0);
    QVERIFY(report.difference.compared);
    QCOMPARE(report.difference.maxAbs, 4);
    const auto json = nlohmann::json::parse(abReportJson(report));
    QCOMPARE(json.at("arms").size(), size_t(2));
    QCOMPARE(json.at("ratio_b_over_a").at("text.encode").get<double>(), 1.0 / 15.0);
    QCOMPARE(json.at("image_difference").at("max_abs").get<int>(), 4);
    const auto text = formatAbReport(report);
    QVERIFY(text.find("text.encode") != std::string::npos);
    QVERIFY(text.find("0.067") != std::string::npos);  // B/A of text.encode
  }

  void benchmarkWithoutTogglesHasOneArm() {
    ScriptedEngine engine;
    AbSettings settings;
    settings.repeat = 2;
    settings.warmup = 0;
    const auto report = runAb(engine, engine, Request{}, settings);
    QVERIFY(!report.isAb());
    QCOMPARE(engine.order.size(), size_t(2));
    QVERIFY(!report.difference.compared);
    QCOMPARE(nlohmann::json::parse(abReportJson(report)).at("arms").size(), size_t(1));
  }

  void abStopsAtAFailedRun() {
    ScriptedEngine engine;
    engine.failAt = 2;
    AbSettings settings;
    settings.toggles = {"text.cache"};
    try {
      runAb(engine, engine, Request{}, settings);
      QFAIL("no error");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::MalformedFile);
    }
    settings.repeat = 0;
    QVERIFY_EXCEPTION_THROWN(runAb(engine, engine, Request{}, settings), CelerityError);
    settings.repeat = 1;
    settings.toggles = {"bogus"};
    QVERIFY_EXCEPTION_THROWN(runAb(engine, engine, Request{}, settings), CelerityError);
  }
};

QTEST_APPLESS_MAIN(TestOptions)
#include "tst_options.moc"
