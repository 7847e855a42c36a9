// The engine and its command line on the golden tiny SD 1.x checkpoint: the engine makes the
// same image as the pipeline it drives, `bench` prints stages and writes its JSON report and
// one Chrome trace per run, `generate --trace` writes a trace that reads back, and `opts`
// lists every registered toggle.
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include "celerity/Engine.h"
#include "celerity/Options.h"
#include "celerity/Profiler.h"
#include "common/GoldenSupport.h"
#include "pipeline/GenerationPipeline.h"
#include "text/ClipTokenizer.h"

using namespace celerity;

class TestEngineGolden : public QObject {
  Q_OBJECT

 private:
  struct Run {
    int exitCode = -1;
    QString out, err;
  };

  static Run cli(const QStringList& arguments) {
    QProcess process;
    process.start(qEnvironmentVariable("CELERITY_CLI"), arguments);
    Run run;
    if (!process.waitForFinished(600000)) return run;
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
  }

  static std::string checkpoint() { return test::goldenPath("sd15_tiny.safetensors").string(); }

  static QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
  }

 private slots:
  void engineMakesThePipelinesImage() {
    Request request;
    request.checkpointPath = checkpoint();
    request.prompt = "a lighthouse at dusk, (oil painting:1.2)";
    request.seed = 7;
    request.steps = 4;
    request.width = 64;
    request.height = 64;
    Engine engine;
    Job job;
    job.request = request;
    job.previews.method = PreviewMethod::Projection;
    job.previews.minIntervalMs = 0;
    const auto result = engine.run(job);
    QCOMPARE(result.outcome, JobOutcome::Finished);

    GenerationPipeline pipeline(LoadedModel::fromCheckpoint(checkpoint()), ClipTokenizer::loadDefault());
    const auto direct = pipeline.run(request);
    QCOMPARE(result.output.images.size(), direct.images.size());
    QVERIFY(result.output.images[0].rgb == direct.images[0].rgb);
    QCOMPARE(result.output.images[0].infotext, direct.images[0].infotext);
  }

  void benchPrintsStagesJsonAndTraces() {
    QVERIFY2(!qEnvironmentVariableIsEmpty("CELERITY_CLI"), "CELERITY_CLI not set");
    QTemporaryDir dir;
    const auto json = dir.filePath("bench.json");
    const auto traces = dir.filePath("traces");
    const auto run = cli({"bench", "--model", QString::fromStdString(checkpoint()), "--prompt", "a cat", "--steps",
                          "3", "--width", "64", "--height", "64", "--seed", "1", "--repeat", "2", "--warmup", "1",
                          "--ab", "text.cache", "--json", json, "--trace", traces});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    for (const auto* stage : {"text.encode", "sample.step", "vae.decode", "job (wall)", "B/A"}) {
      QVERIFY2(run.out.contains(stage), qPrintable(run.out));
    }
    QVERIFY2(run.out.contains("max abs 0"), qPrintable(run.out));  // an exact toggle
    const auto report = nlohmann::json::parse(readAll(json).toStdString());
    QCOMPARE(report.at("arms").size(), size_t(2));
    QCOMPARE(report.at("arms").at(0).at("runs").size(), size_t(2));
    QCOMPARE(report.at("image_difference").at("max_abs").get<int>(), 0);
    QVERIFY(report.at("ratio_b_over_a").contains("text.encode"));
    const auto files = QDir(traces).entryList({"*.json"}, QDir::Files, QDir::Name);
    QCOMPARE(files, (QStringList{"A-1.json", "A-2.json", "B-1.json", "B-2.json"}));
    const auto profile = profileFromChromeTrace(readAll(QDir(traces).filePath("B-2.json")).toStdString());
    profile.checkWellFormed();
    QVERIFY(std::find(profile.optimizations.begin(), profile.optimizations.end(), "text.cache") !=
            profile.optimizations.end());
  }

  void generateWritesAReadableTrace() {
    QTemporaryDir dir;
    const auto trace = dir.filePath("job.json");
    const auto run = cli({"generate", "--model", QString::fromStdString(checkpoint()), "--prompt", "a cat",
                          "--steps", "2", "--width", "64", "--height", "64", "--seed", "3", "--out",
                          dir.filePath("out"), "--preview", "projection", "--trace", trace});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const auto profile = profileFromChromeTrace(readAll(trace).toStdString());
    profile.checkWellFormed();
    QVERIFY(profile.wallMs > 0);
    const auto summary = profile.summary();
    const auto has = [&](const char* name) {
      return std::any_of(summary.begin(), summary.end(), [&](const StageSummary& s) { return s.name == name; });
    };
    QVERIFY(has("load.checkpoint"));
    QVERIFY(has("sample.step"));
    QVERIFY(has("preview"));
    QVERIFY(has("save"));
    QVERIFY2(run.err.contains("sample.step"), qPrintable(run.err));  // the stage table
  }

  void optsListsEveryToggleAndUnknownOnesFail() {
    const auto run = cli({"opts"});
    QCOMPARE(run.exitCode, 0);
    for (const auto& info : optimizationCatalog()) {
      QVERIFY2(run.out.contains(QString::fromStdString(info.id)), info.id.c_str());
    }
    const auto bad = cli({"generate", "--model", QString::fromStdString(checkpoint()), "--prompt", "x", "--opt",
                          "unet.warp=on"});
    QVERIFY(bad.exitCode != 0);
    QVERIFY2(bad.err.contains("unknown optimization 'unet.warp'"), qPrintable(bad.err));
  }
};

QTEST_APPLESS_MAIN(TestEngineGolden)
#include "tst_engine_golden.moc"
