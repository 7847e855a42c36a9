// The studio's engine thread with a fake engine: queue order, cancel one / all, "finish
// current image and stop", a failed job and the next one, preloading as a LoadModel job,
// events reaching the GUI thread, shutdown while a job runs, and A/B jobs (the A/B runner on
// the engine thread: progress per run, the report, cancel).
#include <QSignalSpy>
#include <QTest>
#include <memory>

#include "EngineController.h"
#include "StudioMetaTypes.h"
#include "celerity/AbRunner.h"
#include "celerity/Options.h"
#include "common/FakeEngine.h"

using celerity::JobId;
using celerity::JobKind;
using celerity::Request;
using celerity::studio::EngineController;
using celerity::testing::FakeEngine;
using celerity::testing::FakeEngineScript;

namespace {

Request request(const std::string& prompt, int steps = 3) {
  Request r;
  r.checkpointPath = "model.safetensors";
  r.prompt = prompt;
  r.steps = steps;
  r.width = 64;
  r.height = 64;
  return r;
}

QList<JobId> ids(const QSignalSpy& spy) {
  QList<JobId> out;
  for (const auto& args : spy) out << args.at(0).value<JobId>();
  return out;
}

QList<JobId> pendingIds(const EngineController& controller) {
  QList<JobId> out;
  for (const auto& job : controller.pendingJobs()) out << job.id;
  return out;
}

// Waits (processing events) until `spy` holds `count` signals; false on time-out.
bool waitFor(QSignalSpy& spy, int count) {
  while (spy.count() < count) {
    if (!spy.wait(10000)) return false;
  }
  return true;
}

}  // namespace

class TestStudioController : public QObject {
  Q_OBJECT

 private:
  std::shared_ptr<FakeEngineScript> script_;
  std::unique_ptr<EngineController> controller_;

  void makeController() {
    auto script = script_;
    controller_ = std::make_unique<EngineController>([script]() { return std::make_unique<FakeEngine>(script); });
  }

 private slots:
  void init() {
    script_ = std::make_shared<FakeEngineScript>();
    makeController();
  }
  void cleanup() {
    script_->release();
    controller_.reset();
  }

  void runsJobsInQueueOrder() {
    QSignalSpy started(controller_.get(), &EngineController::jobStarted);
    QSignalSpy finished(controller_.get(), &EngineController::jobFinished);
    QSignalSpy idle(controller_.get(), &EngineController::idle);
    script_->setHold(true);
    const JobId a = controller_->submit(request("a"));
    const JobId b = controller_->submit(request("b"));
    const JobId c = controller_->submit(request("c"));
    QCOMPARE(QList<JobId>({a, b, c}), QList<JobId>({1, 2, 3}));
    QVERIFY(waitFor(started, 1));
    QCOMPARE(controller_->runningJob()->id, a);
    QCOMPARE(pendingIds(*controller_), QList<JobId>({b, c}));
    QVERIFY(controller_->isBusy());
    script_->release();
    QVERIFY(waitFor(idle, 1));
    QCOMPARE(ids(finished), QList<JobId>({a, b, c}));
    QCOMPARE(ids(started), QList<JobId>({a, b, c}));
    const std::vector<JobId> ran = script_->ranJobs();
    QCOMPARE(QList<JobId>(ran.begin(), ran.end()), QList<JobId>({a, b, c}));
    QVERIFY(!controller_->isBusy());
  }

  void progressPreviewsAndStagesArrive() {
    QSignalSpy progress(controller_.get(), &EngineController::jobProgress);
    QSignalSpy previews(controller_.get(), &EngineController::jobPreview);
    QSignalSpy stages(controller_.get(), &EngineController::jobStage);
    QSignalSpy finished(controller_.get(), &EngineController::jobFinished);
    const JobId id = controller_->submit(request("a", 4));
    QVERIFY(waitFor(finished, 1));
    QCOMPARE(progress.count(), 4);
    QCOMPARE(previews.count(), 4);
    const auto last = progress.last().at(1).value<celerity::ProgressEvent>();
    QCOMPARE(last.step, 4);
    QCOMPARE(last.steps, 4);
    const auto preview = previews.last().at(1).value<celerity::PreviewEvent>();
    QCOMPARE(preview.rgb.size(), std::size_t(FakeEngine::kPreviewSide * FakeEngine::kPreviewSide * 3));
    int begun = 0, ended = 0;
    for (const auto& args : stages) (args.at(2).toBool() ? ended : begun)++;
    QCOMPARE(begun, ended);
    QVERIFY(begun >= 4 + 3);  // steps, load, text, sample, decode
    const auto output = finished.first().at(1).value<celerity::JobOutput>();
    QCOMPARE(finished.first().at(0).value<JobId>(), id);
    QCOMPARE(output.images.size(), std::size_t(1));
    QCOMPARE(output.images[0].seed, FakeEngine::kFirstSeed);
    output.profile.checkWellFormed();
    QCOMPARE(int(output.profile.spans.size()), begun);
  }

  void cancelsAPendingJob() {
    QSignalSpy started(controller_.get(), &EngineController::jobStarted);
    QSignalSpy finished(controller_.get(), &EngineController::jobFinished);
    QSignalSpy cancelled(controller_.get(), &EngineController::jobCancelled);
    QSignalSpy idle(controller_.get(), &EngineController::idle);
    script_->setHold(true);
    const JobId a = controller_->submit(request("a"));
    const JobId b = controller_->submit(request("b"));
    const JobId c = controller_->submit(request("c"));
    QVERIFY(waitFor(started, 1));
    QVERIFY(controller_->cancel(b));
    QCOMPARE(ids(cancelled), QList<JobId>({b}));  // at once, not after the running job
    QCOMPARE(pendingIds(*controller_), QList<JobId>({c}));
    QVERIFY(!controller_->cancel(b));   // gone
    QVERIFY(!controller_->cancel(99));  // never was
    script_->release();
    QVERIFY(waitFor(idle, 1));
    QCOMPARE(ids(finished), QList<JobId>({a, c}));
    QCOMPARE(int(script_->ranJobs().size()), 2);
  }

  void cancelsTheRunningJobAndRunsTheNext() {
    QSignalSpy started(controller_.get(), &EngineController::jobStarted);
    QSignalSpy finished(controller_.get(), &EngineController::jobFinished);
    QSignalSpy cancelled(controller_.get(), &EngineController::jobCancelled);
    script_->setHold(true);
    const JobId a = controller_->submit(request("a"));
    const JobId b = controller_->submit(request("b"));
    QVERIFY(waitFor(started, 1));
    QVERIFY(controller_->cancel(a));  // sets the token from this thread; the job is held
    QVERIFY(waitFor(cancelled, 1));
    QCOMPARE(ids(cancelled), QList<JobId>({a}));
    const auto profile = cancelled.first().at(1).value<celerity::JobProfile>();
    QVERIFY(!profile.spans.empty());  // what ran before the cancel is kept
    QVERIFY(waitFor(started, 2));
    QCOMPARE(started.last().at(0).value<JobId>(), b);
    script_->release();
    QVERIFY(waitFor(finished, 1));
    QCOMPARE(ids(finished), QList<JobId>({b}));
  }

  void cancelAllEmptiesTheQueueAndStopsTheRunningJob() {
    QSignalSpy started(controller_.get(), &EngineController::jobStarted);
    QSignalSpy finished(controller_.get(), &EngineController::jobFinished);
    QSignalSpy cancelled(controller_.get(), &EngineController::jobCancelled);
    QSignalSpy idle(controller_.get(), &EngineController::idle);
    script_->setHold(true);
    const JobId a = controller_->submit(request("a"));
    const JobId b = controller_->submit(request("b"));
    const JobId c = controller_->submit(request("c"));
    QVERIFY(waitFor(started, 1));
    controller_->cancelAll();
    QCOMPARE(ids(cancelled), QList<JobId>({b, c}));
    QVERIFY(controller_->pendingJobs().empty());
    QVERIFY(waitFor(idle, 1));
    QCOMPARE(ids(cancelled), QList<JobId>({b, c, a}));
    QCOMPARE(finished.count(), 0);
    // The engine is still usable.
    script_->release();
    const JobId d = controller_->submit(request("d"));
    QVERIFY(waitFor(finished, 1));
    QCOMPARE(ids(finished), QList<JobId>({d}));
  }

  void finishCurrentImageAndStop() {
    QSignalSpy started(controller_.get(), &EngineController::jobStarted);
    QSignalSpy finished(controller_.get(), &EngineController::jobFinished);
    QSignalSpy cancelled(controller_.get(), &EngineController::jobCancelled);
    script_->setHold(true);
    Request three = request("a");
    three.batchCount = 3;
    const JobId a = controller_->submit(three);
    const JobId b = controller_->submit(request("b"));
    QVERIFY(waitFor(started, 1));
    controller_->finishCurrentImageAndStop();
    QCOMPARE(ids(cancelled), QList<JobId>({b}));
    script_->release();
    QVERIFY(waitFor(finished, 1));
    QCOMPARE(ids(finished), QList<JobId>({a}));
    const auto output = finished.first().at(1).value<celerity::JobOutput>();
    QCOMPARE(output.images.size(), std::size_t(1));  // the running batch, not the other two
    QVERIFY(output.stoppedEarly);
  }

  void aFailedJobReportsItsErrorAndTheNextRuns() {
    QSignalSpy failed(controller_.get(), &EngineController::jobFailed);
    QSignalSpy finished(controller_.get(), &EngineController::jobFinished);
    const JobId bad = controller_->submit(request("please FAIL"));
    const JobId good = controller_->submit(request("fine"));
    QVERIFY(waitFor(finished, 1));
    QCOMPARE(ids(failed), QList<JobId>({bad}));
    const auto error = failed.first().at(1).value<celerity::Error>();
    QCOMPARE(error.code, celerity::ErrorCode::InvalidArgument);
    QCOMPARE(QString::fromStdString(error.message), QStringLiteral("scripted failure"));
    QCOMPARE(ids(finished), QList<JobId>({good}));
  }

  void preloadIsALoadModelJob() {
    QSignalSpy finished(controller_.get(), &EngineController::jobFinished);
    QSignalSpy queued(controller_.get(), &EngineController::jobQueued);
    QSignalSpy models(controller_.get(), &EngineController::loadedModelsChanged);
    QSignalSpy idle(controller_.get(), &EngineController::idle);
    const JobId load = controller_->preload("model.safetensors");
    QVERIFY(load != 0);
    QCOMPARE(controller_->preload("model.safetensors"), load);  // on its way already
    QCOMPARE(queued.first().at(1).value<JobKind>(), JobKind::LoadModel);
    QVERIFY(waitFor(idle, 1));  // the worker reports the models before it says it is done
    QCOMPARE(finished.count(), 1);
    QCOMPARE(models.count(), 1);
    QCOMPARE(controller_->loadedModels().size(), std::size_t(1));
    QCOMPARE(controller_->loadedModels()[0].path, std::string("model.safetensors"));
    QCOMPARE(controller_->preload("model.safetensors"), JobId(0));  // resident already
    QCOMPARE(controller_->preload(""), JobId(0));
    controller_->submit(request("a"));
    QVERIFY(waitFor(finished, 2));
    QCOMPARE(script_->loadCount(), 1);  // the generation found it loaded
    QCOMPARE(script_->ranKinds().front(), JobKind::LoadModel);
  }

  void aNewPreloadReplacesAPendingOne() {
    QSignalSpy started(controller_.get(), &EngineController::jobStarted);
    QSignalSpy cancelled(controller_.get(), &EngineController::jobCancelled);
    script_->setHold(true);
    controller_->submit(request("a"));
    QVERIFY(waitFor(started, 1));
    const JobId first = controller_->preload("one.safetensors");
    const JobId second = controller_->preload("two.safetensors");
    QVERIFY(first != 0 && second != 0 && first != second);
    QCOMPARE(ids(cancelled), QList<JobId>({first}));
    QCOMPARE(pendingIds(*controller_), QList<JobId>({second}));
    QCOMPARE(controller_->preload("two.safetensors"), second);  // already on its way
  }

  void aMissingCheckpointFailsItsLoad() {
    QSignalSpy failed(controller_.get(), &EngineController::jobFailed);
    const JobId load = controller_->preload("missing.safetensors");
    QVERIFY(waitFor(failed, 1));
    QCOMPARE(ids(failed), QList<JobId>({load}));
    QCOMPARE(failed.first().at(1).value<celerity::Error>().code, celerity::ErrorCode::FileNotFound);
  }

  void shutdownCancelsAndWaits() {
    QSignalSpy started(controller_.get(), &EngineController::jobStarted);
    script_->setHold(true);  // never released: only the cancel can end the job
    controller_->submit(request("a"));
    controller_->submit(request("b"));
    QVERIFY(waitFor(started, 1));
    controller_->shutdown();
    QVERIFY(!controller_->isBusy());
    QCOMPARE(int(script_->ranJobs().size()), 1);
    QCOMPARE(controller_->submit(request("c")), JobId(0));  // nothing runs after shutdown
    controller_->shutdown();  // idempotent
  }

  void aFactoryThatThrowsFailsJobsCleanly() {
    controller_ = std::make_unique<EngineController>(
        []() -> std::unique_ptr<celerity::GenerationEngine> { throw std::runtime_error("no device"); });
    QSignalSpy engineFailed(controller_.get(), &EngineController::engineFailed);
    QSignalSpy failed(controller_.get(), &EngineController::jobFailed);
    controller_->submit(request("a"));
    QVERIFY(waitFor(failed, 1));
    QVERIFY(waitFor(engineFailed, 1));
    QCOMPARE(QString::fromStdString(engineFailed.first().at(0).value<celerity::Error>().message),
             QStringLiteral("no device"));
  }

  void abJobRunsTheAbRunnerOnTheEngineThread() {
    const std::string toggle = celerity::optimizationCatalog().front().id;
    celerity::AbSettings settings;
    settings.toggles = {toggle};
    settings.warmup = 1;
    settings.repeat = 2;
    Request r = request("a/b", 2);
    r.seed = 5;
    QSignalSpy progress(controller_.get(), &EngineController::abProgress);
    QSignalSpy reports(controller_.get(), &EngineController::abFinished);
    QSignalSpy finished(controller_.get(), &EngineController::jobFinished);
    QSignalSpy queued(controller_.get(), &EngineController::jobQueued);
    const JobId ab = controller_->submitAb(r, settings);
    const JobId after = controller_->submit(request("after"));  // waits for the whole A/B
    QVERIFY(controller_->isAbJob(ab));
    QVERIFY(!controller_->isAbJob(after));
    QVERIFY(queued.first().at(2).toString().startsWith(QStringLiteral("A/B ") + QString::fromStdString(toggle)));
    QVERIFY(waitFor(reports, 1));
    QVERIFY(waitFor(finished, 1));
    QCOMPARE(ids(finished), QList<JobId>{after});  // the A/B job ends in its report, not jobFinished
    QCOMPARE(reports.first().at(0).value<JobId>(), ab);

    // Warm-ups first, then A B A B; progress after every run.
    QCOMPARE(progress.count(), 6);
    const QStringList arms = {"A", "B", "A", "B", "A", "B"};
    const QList<int> runs = {-1, -1, 0, 0, 1, 1};
    for (int i = 0; i < progress.count(); ++i) {
      QCOMPARE(progress[i].at(1).toInt(), i + 1);
      QCOMPARE(progress[i].at(2).toInt(), 6);
      QCOMPARE(progress[i].at(3).toString(), arms[i]);
      QCOMPARE(progress[i].at(4).toInt(), runs[i]);
      QVERIFY(progress[i].at(5).toDouble() > 0.0);
    }
    const auto report = reports.first().at(1).value<celerity::AbReport>();
    QVERIFY(report.isAb());
    QCOMPARE(report.a.runs.size(), std::size_t{2});
    QCOMPARE(report.b.runs.size(), std::size_t{2});
    QVERIFY(report.difference.compared);
    QCOMPARE(report.difference.maxAbs, 0);  // the fake paints the same grey either way
    const auto requests = script_->ranRequests();
    QCOMPARE(requests.size(), std::size_t{7});
    for (int i = 0; i < 6; ++i) {
      QCOMPARE(requests[static_cast<std::size_t>(i)].optimizations.at(toggle), i % 2 == 1);
      QCOMPARE(requests[static_cast<std::size_t>(i)].seed, std::int64_t{5});
    }
  }

  void cancellingAnAbJob() {
    celerity::AbSettings settings;
    settings.toggles = {celerity::optimizationCatalog().front().id};
    script_->setHold(true);
    QSignalSpy started(controller_.get(), &EngineController::jobStarted);
    QSignalSpy cancelled(controller_.get(), &EngineController::jobCancelled);
    QSignalSpy reports(controller_.get(), &EngineController::abFinished);
    QSignalSpy idle(controller_.get(), &EngineController::idle);
    const JobId ab = controller_->submitAb(request("held"), settings);
    QVERIFY(waitFor(started, 1));
    controller_->finishCurrentImageAndStop();  // half a measurement means nothing: cancelled
    QVERIFY(waitFor(cancelled, 1));
    QCOMPARE(ids(cancelled), QList<JobId>{ab});
    QVERIFY(waitFor(idle, 1));
    QVERIFY(reports.isEmpty());
    QVERIFY(!controller_->isBusy());
  }

  void jobLabels() {
    Request r = request("a cat in a hat");
    r.width = 512;
    r.height = 768;
    r.steps = 20;
    QCOMPARE(EngineController::jobLabel(JobKind::Generate, r), QStringLiteral("txt2img 512×768, 20 steps: a cat in a hat"));
    r.batchCount = 2;
    QVERIFY(EngineController::jobLabel(JobKind::Generate, r).contains(QStringLiteral("×2")));
    QCOMPARE(EngineController::jobLabel(JobKind::LoadModel, r), QStringLiteral("Load model.safetensors"));
  }
};

QTEST_GUILESS_MAIN(TestStudioController)
#include "tst_studio_controller.moc"
