// The engine object: models kept loaded between jobs, eviction under a budget, previews at
// their cadence, both cancel modes, failures that leave the engine usable, profiles, traces,
// optimization toggles and the A/B runner — on tiny random-weight checkpoints written here.
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <fstream>

#include <c10/core/ScalarType.h>

#include "celerity/AbRunner.h"
#include "celerity/Engine.h"
#include "checkpoint/CheckpointFactory.h"

using namespace celerity;

namespace {

// Records every event; optional actions run on progress events.
class RecordingSink : public JobEventSink {
 public:
  void onStarted(JobId, const std::string&) override { ++started; }
  void onProgress(JobId, const ProgressEvent& progress) override {
    progressEvents.push_back(progress);
    if (onProgressAction) onProgressAction(progress);
  }
  void onPreview(JobId, const PreviewEvent& preview) override { previews.push_back(preview); }
  void onStage(JobId, const ProfileSpan& span, bool ended) override {
    (ended ? stageEnds : stageBegins).push_back(span.name);
  }
  void onFinished(JobId, const JobOutput& output) override {
    ++finals;
    ++finished;
    lastOutput = output;
  }
  void onCancelled(JobId, const JobProfile&) override {
    ++finals;
    ++cancelled;
  }
  void onFailed(JobId, const Error& error, const JobOutput&) override {
    ++finals;
    ++failed;
    lastError = error;
  }

  int started = 0, finals = 0, finished = 0, cancelled = 0, failed = 0;
  std::vector<ProgressEvent> progressEvents;
  std::vector<PreviewEvent> previews;
  std::vector<std::string> stageBegins, stageEnds;
  JobOutput lastOutput;
  Error lastError;
  std::function<void(const ProgressEvent&)> onProgressAction;
};

bool hasStage(const JobProfile& profile, const std::string& prefix) {
  return std::any_of(profile.spans.begin(), profile.spans.end(),
                     [&](const ProfileSpan& span) { return span.name.rfind(prefix, 0) == 0; });
}

int countStage(const JobProfile& profile, const std::string& name) {
  return static_cast<int>(std::count_if(profile.spans.begin(), profile.spans.end(),
                                        [&](const ProfileSpan& span) { return span.name == name; }));
}

}  // namespace

class TestEngine : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string modelA_, modelB_;

  Request request(const std::string& model, int steps = 3) const {
    Request r;
    r.checkpointPath = model;
    r.prompt = "a red apple on a table";
    r.negativePrompt = "blurry";
    r.seed = 42;
    r.steps = steps;
    r.width = 64;
    r.height = 64;
    r.sampler = "Euler";
    return r;
  }

  Job job(const Request& r, JobEventSink* sink, JobId id = 1) const {
    Job j;
    j.id = id;
    j.request = r;
    j.events = sink;
    j.previews.method = PreviewMethod::None;
    return j;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    for (auto [seed, path] : {std::pair<int, std::string*>{1, &modelA_}, {2, &modelB_}}) {
      CheckpointSpec spec;
      spec.family = ModelFamily::SD1;
      spec.full = false;
      spec.dtype = at::kFloat;
      spec.seed = static_cast<std::uint64_t>(seed);
      *path = dir_.filePath(QString("tiny-%1.safetensors").arg(seed)).toStdString();
      writeRandomCheckpoint(spec, *path);
    }
  }

  void secondJobOnTheSameModelDoesNotLoad() {
    Engine engine;
    RecordingSink sink;
    const auto first = engine.run(job(request(modelA_), &sink, 1));
    QCOMPARE(first.outcome, JobOutcome::Finished);
    QVERIFY(hasStage(first.output.profile, "load."));
    QCOMPARE(first.output.images.size(), size_t(1));
    const auto second = engine.run(job(request(modelA_), &sink, 2));
    QCOMPARE(second.outcome, JobOutcome::Finished);
    QVERIFY(!hasStage(second.output.profile, "load."));
    QCOMPARE(engine.loadedModels().size(), size_t(1));
    // The model kept loaded makes the same image.
    QVERIFY(first.output.images[0].rgb == second.output.images[0].rgb);
    QCOMPARE(sink.finals, 2);
    QCOMPARE(sink.started, 2);
  }

  void loadModelJobPreloads() {
    Engine engine;
    Job preload = job(request(modelA_), nullptr);
    preload.kind = JobKind::LoadModel;
    const auto loaded = engine.run(preload);
    QCOMPARE(loaded.outcome, JobOutcome::Finished);
    QVERIFY(hasStage(loaded.output.profile, "load.checkpoint"));
    QVERIFY(loaded.output.images.empty());
    const auto generated = engine.run(job(request(modelA_), nullptr));
    QVERIFY(!hasStage(generated.output.profile, "load."));
  }

  void evictsLeastRecentlyUsedUnderSmallBudget() {
    Engine engine;
    engine.run(job(request(modelA_), nullptr));
    const auto oneModel = engine.loadedModels().at(0).hostBytes;
    QVERIFY(oneModel > 0);
    engine.setMemoryBudget(oneModel + oneModel / 2, 0);  // room for one model only
    engine.run(job(request(modelB_), nullptr));
    auto loaded = engine.loadedModels();
    QCOMPARE(loaded.size(), size_t(1));
    QVERIFY(loaded[0].path.find("tiny-2") != std::string::npos);
    const auto again = engine.run(job(request(modelA_), nullptr));
    QVERIFY(hasStage(again.output.profile, "load.checkpoint"));  // it was evicted
    engine.setMemoryBudget(oneModel * 4, 0);
    engine.run(job(request(modelB_), nullptr));
    QCOMPARE(engine.loadedModels().size(), size_t(2));
    engine.unloadAll();
    QVERIFY(engine.loadedModels().empty());
  }

  void keepLoadedOffReloadsEveryJob() {
    Engine engine;
    auto r = request(modelA_);
    r.optimizations["cache.keep_loaded"] = false;
    engine.run(job(r, nullptr));
    QVERIFY(engine.loadedModels().empty());
    const auto second = engine.run(job(r, nullptr));
    QVERIFY(hasStage(second.output.profile, "load.checkpoint"));
  }

  void previewCadenceEveryNSteps() {
    Engine engine;
    RecordingSink sink;
    auto j = job(request(modelA_, 6), &sink);
    j.previews = {PreviewMethod::Projection, 2, 0};
    const auto result = engine.run(j);
    QCOMPARE(result.outcome, JobOutcome::Finished);
    QCOMPARE(sink.previews.size(), size_t(3));
    for (std::size_t i = 0; i < sink.previews.size(); ++i) {
      QCOMPARE(sink.previews[i].step, static_cast<int>(2 * (i + 1)));
      QCOMPARE(sink.previews[i].width, 8);  // latent resolution of a 64×64 image
      QCOMPARE(sink.previews[i].rgb.size(), size_t(8 * 8 * 3));
    }
    QCOMPARE(countStage(result.output.profile, "preview"), 3);
    QCOMPARE(sink.progressEvents.size(), size_t(6));
    QCOMPARE(sink.progressEvents.back().step, 6);
    QCOMPARE(sink.progressEvents.back().steps, 6);
  }

  void previewThrottleHoldsBackFastSteps() {
    Engine engine;
    RecordingSink sink;
    auto j = job(request(modelA_, 6), &sink);
    j.previews = {PreviewMethod::Projection, 1, 1000000};  // one preview per 1000 s
    engine.run(j);
    QCOMPARE(sink.previews.size(), size_t(1));
    // The toggle off: every step previews whatever the interval.
    RecordingSink unthrottled;
    j.events = &unthrottled;
    j.request.optimizations["preview.throttle"] = false;
    engine.run(j);
    QCOMPARE(unthrottled.previews.size(), size_t(6));
  }

  void cancelAllEndsPromptlyAndEngineStaysUsable() {
    Engine engine;
    RecordingSink sink;
    auto token = std::make_shared<CancelToken>();
    sink.onProgressAction = [&](const ProgressEvent&) { token->cancelAll(); };
    auto j = job(request(modelA_, 10), &sink);
    j.request.batchCount = 3;
    j.cancel = token;
    const auto result = engine.run(j);
    QCOMPARE(result.outcome, JobOutcome::Cancelled);
    QCOMPARE(sink.cancelled, 1);
    QCOMPARE(sink.finals, 1);
    QCOMPARE(sink.progressEvents.size(), size_t(1));  // stopped at the next step
    QVERIFY(result.output.profile.wallMs > 0);
    const auto next = engine.run(job(request(modelA_), nullptr));
    QCOMPARE(next.outcome, JobOutcome::Finished);
  }

  void finishCurrentImageStopsAfterTheBatch() {
    Engine engine;
    RecordingSink sink;
    auto token = std::make_shared<CancelToken>();
    sink.onProgressAction = [&](const ProgressEvent&) { token->finishCurrentImage(); };
    auto j = job(request(modelA_, 3), &sink);
    j.request.batchCount = 3;
    j.cancel = token;
    const auto result = engine.run(j);
    QCOMPARE(result.outcome, JobOutcome::Finished);
    QCOMPARE(result.output.images.size(), size_t(1));
    QVERIFY(result.output.stoppedEarly);
    QCOMPARE(sink.finished, 1);
    QCOMPARE(sink.progressEvents.size(), size_t(3));  // the first batch's steps, all of them
  }

  void corruptModelFailsAndNextJobRuns() {
    const auto corrupt = dir_.filePath("corrupt.safetensors").toStdString();
    {
      std::ofstream file(corrupt, std::ios::binary);
      file << "\x10\x00\x00\x00\x00\x00\x00\x00{not json at all";
    }
    Engine engine;
    RecordingSink sink;
    const auto failed = engine.run(job(request(corrupt), &sink));
    QCOMPARE(failed.outcome, JobOutcome::Failed);
    QCOMPARE(failed.error.code, ErrorCode::MalformedFile);
    QVERIFY2(failed.error.where.find("corrupt.safetensors") != std::string::npos, failed.error.where.c_str());
    QCOMPARE(sink.failed, 1);
    QCOMPARE(sink.finals, 1);
    const auto missing = engine.run(job(request(dir_.filePath("none.safetensors").toStdString()), nullptr));
    QCOMPARE(missing.error.code, ErrorCode::FileNotFound);
    const auto next = engine.run(job(request(modelA_), &sink));
    QCOMPARE(next.outcome, JobOutcome::Finished);
    QCOMPARE(sink.finals, 2);
  }

  void unknownToggleIsAClearError() {
    Engine engine;
    auto r = request(modelA_);
    r.optimizations["unet.warp_drive"] = true;
    const auto result = engine.run(job(r, nullptr));
    QCOMPARE(result.outcome, JobOutcome::Failed);
    QCOMPARE(result.error.code, ErrorCode::InvalidArgument);
    QCOMPARE(result.error.where, std::string("optimizations.unet.warp_drive"));
    QVERIFY(result.error.message.find("unet.cfg_batch") != std::string::npos);  // lists the known ones
  }

  void profileIsWellFormedAndConsistentWithWallTime() {
    Engine engine;
    RecordingSink sink;
    auto r = request(modelA_, 4);
    r.batchCount = 2;
    auto j = job(r, &sink);
    j.previews = {PreviewMethod::Projection, 1, 0};
    const auto result = engine.run(j);
    const auto& profile = result.output.profile;
    profile.checkWellFormed();
    QVERIFY(profile.wallMs > 0);
    double topLevel = 0;
    for (const auto& span : profile.spans) {
      QVERIFY(span.endMs <= profile.wallMs + 1e-6);
      if (span.parent < 0) topLevel += span.durationMs();
    }
    QVERIFY(topLevel <= profile.wallMs + 1e-6);
    QVERIFY(topLevel >= 0.5 * profile.wallMs);  // the stages account for most of the job
    QCOMPARE(countStage(profile, "sample"), 2);  // one pass per batch
    QCOMPARE(countStage(profile, "vae.decode"), 2);
    // cfg > 1 with one batched call per step: 4 model evaluations per pass, children of the pass.
    QCOMPARE(countStage(profile, "sample.step"), 8);
    for (const auto& span : profile.spans) {
      if (span.name == "sample.step") {
        QCOMPARE(profile.spans[static_cast<std::size_t>(span.parent)].name, std::string("sample"));
        QVERIFY(span.step >= 0 && span.step < 4);
      }
    }
    QCOMPARE(sink.stageBegins.size(), profile.spans.size());
    QCOMPARE(sink.stageEnds.size(), profile.spans.size());
    // The toggles the job ran with: the defaults, less what this device cannot do.
    OptimizationSet effective;
    effective.restrictTo(engine.capabilities());
    QVERIFY(profile.optimizations == effective.enabledIds());
    QVERIFY(std::find(profile.optimizations.begin(), profile.optimizations.end(), "unet.half") ==
            profile.optimizations.end());
    // The trace of the profile reads back into the same profile.
    const auto back = profileFromChromeTrace(toChromeTrace(profile));
    QCOMPARE(back.spans.size(), profile.spans.size());
    QCOMPARE(back.label, profile.label);
  }

  void exactTogglesGiveIdenticalImages() {
    for (const auto* id : {"text.cache", "load.mmap", "load.parallel", "cache.keep_loaded", "preview.throttle"}) {
      QVERIFY(findOptimization(id) != nullptr);
      QCOMPARE(findOptimization(id)->numerics, NumericsClass::Exact);
      Engine a;
      Engine b;
      AbSettings settings;
      settings.toggles = {id};
      settings.repeat = 2;
      settings.warmup = 0;
      const auto report = runAb(a, b, request(modelA_), settings);
      QVERIFY(report.isAb());
      QCOMPARE(report.a.runs.size(), size_t(2));
      QVERIFY2(report.difference.compared, id);
      QCOMPARE(report.difference.maxAbs, 0);
      QVERIFY(std::isinf(report.difference.psnr));
      QVERIFY(!report.a.stages.empty());
      QVERIFY(!formatAbReport(report).empty());
    }
  }

  void cfgBatchOffMakesTwoCallsWithinTolerance() {
    Engine engine;
    AbSettings settings;
    settings.toggles = {"unet.cfg_batch"};
    settings.repeat = 1;
    settings.warmup = 0;
    const auto report = runAb(engine, engine, request(modelA_), settings);
    QCOMPARE(report.a.runs.size(), size_t(1));
    QCOMPARE(countStage(report.a.runs[0], "sample.step"), 3);  // a stage per evaluation either way
    QVERIFY(report.difference.compared);
    QVERIFY2(report.difference.maxAbs <= 2, std::to_string(report.difference.maxAbs).c_str());
  }

  void channelsLastWithinTolerance() {
    Engine engine;
    AbSettings settings;
    settings.toggles = {"unet.channels_last"};
    settings.repeat = 1;
    settings.warmup = 0;
    const auto report = runAb(engine, engine, request(modelA_), settings);
    QVERIFY(report.difference.compared);
    QVERIFY2(report.difference.maxAbs <= 2, std::to_string(report.difference.maxAbs).c_str());
  }

  void savesImagesWithParameters() {
    Engine engine;
    auto r = request(modelA_);
    r.outputFolder = dir_.filePath("out").toStdString();
    r.batchSize = 2;
    const auto result = engine.run(job(r, nullptr));
    QCOMPARE(result.outcome, JobOutcome::Finished);
    QCOMPARE(result.output.savedPaths.size(), size_t(2));
    for (const auto& path : result.output.savedPaths) QVERIFY2(QFile::exists(QString::fromStdString(path)), path.c_str());
    QCOMPARE(countStage(result.output.profile, "save"), 2);
  }
};

QTEST_APPLESS_MAIN(TestEngine)
#include "tst_engine.moc"
