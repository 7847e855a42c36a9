// The job queue under stress: a few hundred jobs on a tiny random checkpoint (64×64, 1–2
// steps, 1–2 batches) run one after another on a worker thread, while cancels of both modes
// arrive — from inside the job's own events at a chosen step, before the job starts, and
// from another thread at moments nobody planned — and failing jobs (a missing checkpoint, an
// unknown sampler, an output folder that takes no files) are mixed in. Every job must end in
// exactly one final event that agrees with its result; finished jobs' images must all be on
// disk with their parameters, and nothing else may be left in the output folder; a job whose
// images could not be saved keeps them in its output. The engine stays usable afterwards.
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "celerity/Engine.h"
#include "checkpoint/CheckpointFactory.h"
#include "metadata/PngTextChunks.h"

using namespace celerity;
namespace fs = std::filesystem;

namespace {

constexpr int kJobs = 240;

enum class Plan {
  Plain,
  CancelAllAtStep,      // cancelAll from the job's own progress event
  FinishImageAtStep,    // finishCurrentImage during the first of two batches
  CancelledBeforeStart, // the token is set while the job waits in the queue
  Racy,                 // another thread cancels it at an unplanned moment, either mode
  MissingCheckpoint,
  UnknownSampler,
  UnwritableOutput,
};

struct JobRecord {
  Plan plan = Plan::Plain;
  Job job;
  std::shared_ptr<CancelToken> token = std::make_shared<CancelToken>();
  int cancelAtStep = 0;
  JobResult result;
  // Written by the worker thread (events), read after it has joined.
  int started = 0, finished = 0, cancelled = 0, failed = 0;
  JobOutput eventOutput;
};

// Routes the engine's events to the job's record; acts on the planned cancels.
class StressSink : public JobEventSink {
 public:
  explicit StressSink(std::map<JobId, JobRecord>& records) : records_(records) {}
  void onStarted(JobId id, const std::string&) override { ++records_.at(id).started; }
  void onProgress(JobId id, const ProgressEvent& progress) override {
    JobRecord& r = records_.at(id);
    if (progress.batch != 0 || progress.step != r.cancelAtStep) return;
    if (r.plan == Plan::CancelAllAtStep) r.token->cancelAll();
    if (r.plan == Plan::FinishImageAtStep) r.token->finishCurrentImage();
  }
  void onFinished(JobId id, const JobOutput& output) override {
    ++records_.at(id).finished;
    records_.at(id).eventOutput = output;
  }
  void onCancelled(JobId id, const JobProfile&) override { ++records_.at(id).cancelled; }
  void onFailed(JobId id, const Error&, const JobOutput& output) override {
    ++records_.at(id).failed;
    records_.at(id).eventOutput = output;
  }

 private:
  std::map<JobId, JobRecord>& records_;
};

}  // namespace

class TestQueueStress : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string model_;

  Request request(std::mt19937& random, const fs::path& out) const {
    Request r;
    r.checkpointPath = model_;
    r.prompt = "a lighthouse at dusk, (storm:1.2)";
    r.negativePrompt = "blurry";
    r.steps = 1 + static_cast<int>(random() % 2);
    r.width = r.height = 64;
    r.sampler = "Euler";
    r.seed = static_cast<std::int64_t>(random() % 100000);
    r.batchCount = 1 + static_cast<int>(random() % 2);
    r.outputFolder = out.string();
    return r;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    CheckpointSpec spec;
    spec.family = ModelFamily::SD1;
    spec.full = false;
    spec.dtype = at::kFloat;
    spec.seed = 11;
    model_ = dir_.filePath("tiny.safetensors").toStdString();
    writeRandomCheckpoint(spec, model_);
  }

  void hundredsOfJobsWithCancelsAndFailures() {
    const fs::path out = fs::path(dir_.path().toStdString()) / "outputs";
    std::mt19937 random(20251127);
    std::map<JobId, JobRecord> records;
    StressSink sink(records);
    for (int i = 0; i < kJobs; ++i) {
      const JobId id = static_cast<JobId>(i + 1);
      JobRecord& r = records[id];
      r.job.id = id;
      r.job.request = request(random, out);
      r.job.previews.method = i % 3 == 0 ? PreviewMethod::Projection : PreviewMethod::None;
      r.job.cancel = r.token;
      r.job.events = &sink;
      const int roll = static_cast<int>(random() % 100);
      r.plan = i % 60 == 17   ? Plan::MissingCheckpoint
               : i % 60 == 37 ? Plan::UnknownSampler
               : i % 60 == 53 ? Plan::UnwritableOutput
               : roll < 10    ? Plan::CancelAllAtStep
               : roll < 20    ? Plan::FinishImageAtStep
               : roll < 25    ? Plan::CancelledBeforeStart
               : roll < 35    ? Plan::Racy
                              : Plan::Plain;
      r.cancelAtStep = 1 + static_cast<int>(random() % r.job.request.steps);
      if (r.plan == Plan::FinishImageAtStep) r.job.request.batchCount = 2;
      if (r.plan == Plan::CancelledBeforeStart) r.token->cancelAll();
      if (r.plan == Plan::MissingCheckpoint) r.job.request.checkpointPath = model_ + ".missing";
      if (r.plan == Plan::UnknownSampler) r.job.request.sampler = "No Such Sampler";
      if (r.plan == Plan::UnwritableOutput) r.job.request.outputFolder = "/proc/self";
    }

    Engine engine;
    std::atomic<int> next{0};
    std::thread worker([&] {
      for (auto& [id, r] : records) {
        next.store(static_cast<int>(id), std::memory_order_release);
        r.result = engine.run(r.job);
      }
      next.store(kJobs + 1, std::memory_order_release);
    });
    // The racing canceller: cancels racy jobs near the one running, whenever it gets to run.
    std::mt19937 chaos(7);
    std::vector<std::shared_ptr<CancelToken>> racy;
    for (auto& [id, r] : records) racy.push_back(r.plan == Plan::Racy ? r.token : nullptr);
    while (next.load(std::memory_order_acquire) <= kJobs) {
      const int around = next.load(std::memory_order_acquire) - 1 + static_cast<int>(chaos() % 3);
      if (around >= 0 && around < kJobs && racy[static_cast<std::size_t>(around)]) {
        if (chaos() % 2) {
          racy[static_cast<std::size_t>(around)]->cancelAll();
        } else {
          racy[static_cast<std::size_t>(around)]->finishCurrentImage();
        }
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200 + chaos() % 5000));
    }
    worker.join();

    std::set<std::string> expectedFiles;
    std::map<Plan, int> outcomes;
    for (auto& [id, r] : records) {
      const std::string label = "job " + std::to_string(id) + " (plan " + std::to_string(static_cast<int>(r.plan)) +
                                "): " + r.result.error.toString();
      QVERIFY2(r.started == 1, label.c_str());
      QVERIFY2(r.finished + r.cancelled + r.failed == 1, label.c_str());
      switch (r.result.outcome) {
        case JobOutcome::Finished: QVERIFY2(r.finished == 1, label.c_str()); break;
        case JobOutcome::Cancelled: QVERIFY2(r.cancelled == 1, label.c_str()); break;
        case JobOutcome::Failed: QVERIFY2(r.failed == 1, label.c_str()); break;
        default: QFAIL(label.c_str());
      }
      const auto& output = r.result.output;
      if (r.result.outcome == JobOutcome::Finished) {
        ++outcomes[r.plan];
        const int expected = r.job.request.imageCount();
        QVERIFY2(static_cast<int>(output.images.size()) == (output.stoppedEarly ? 1 : expected), label.c_str());
        QVERIFY2(output.savedPaths.size() == output.images.size(), label.c_str());
        QVERIFY2(r.eventOutput.savedPaths == output.savedPaths, label.c_str());
        for (std::size_t i = 0; i < output.images.size(); ++i) {
          const fs::path path = output.savedPaths[i];
          QVERIFY2(fs::is_regular_file(path), (label + " " + path.string()).c_str());
          QVERIFY2(path.parent_path() == out, label.c_str());
          const auto text = readPngParameters(path);
          QVERIFY2(text && text->find("Seed: " + std::to_string(output.images[i].seed)) != std::string::npos,
                   label.c_str());
          QVERIFY2(expectedFiles.insert(path.filename().string()).second, ("saved twice: " + label).c_str());
        }
      }
      switch (r.plan) {
        case Plan::Plain:
          QVERIFY2(r.result.outcome == JobOutcome::Finished && !output.stoppedEarly, label.c_str());
          break;
        case Plan::CancelAllAtStep:
        case Plan::CancelledBeforeStart:
          QVERIFY2(r.result.outcome == JobOutcome::Cancelled, label.c_str());
          QVERIFY2(r.result.error.code == ErrorCode::Cancelled, label.c_str());
          break;
        case Plan::FinishImageAtStep:
          QVERIFY2(r.result.outcome == JobOutcome::Finished && output.stoppedEarly, label.c_str());
          break;
        case Plan::Racy:
          break;  // any outcome; the invariants above hold
        case Plan::MissingCheckpoint:
          QVERIFY2(r.result.outcome == JobOutcome::Failed && r.result.error.code == ErrorCode::FileNotFound,
                   label.c_str());
          break;
        case Plan::UnknownSampler:
          QVERIFY2(r.result.outcome == JobOutcome::Failed && r.result.error.code == ErrorCode::InvalidArgument,
                   label.c_str());
          break;
        case Plan::UnwritableOutput:
          // The images were made: they stay in the output (and in the failure event).
          QVERIFY2(r.result.outcome == JobOutcome::Failed && r.result.error.code == ErrorCode::FileUnreadable,
                   label.c_str());
          QVERIFY2(static_cast<int>(output.images.size()) == r.job.request.imageCount(), label.c_str());
          QVERIFY2(r.eventOutput.images.size() == output.images.size(), label.c_str());
          for (const auto& path : output.savedPaths) QVERIFY2(path.empty(), label.c_str());
          break;
      }
    }
    // On disk: exactly the finished jobs' images — no temporary or half-written files.
    std::set<std::string> onDisk;
    for (const auto& entry : fs::directory_iterator(out)) onDisk.insert(entry.path().filename().string());
    QCOMPARE(onDisk, expectedFiles);
    QVERIFY(outcomes[Plan::Plain] > kJobs / 2);

    // Still usable, with the one model it loaded.
    QCOMPARE(engine.loadedModels().size(), std::size_t(1));
    Job after;
    after.id = kJobs + 1;
    after.request = records.begin()->second.job.request;
    after.request.outputFolder.clear();
    after.previews.method = PreviewMethod::None;
    QCOMPARE(engine.run(after).outcome, JobOutcome::Finished);
  }
};

QTEST_APPLESS_MAIN(TestQueueStress)
#include "tst_queue_stress.moc"
