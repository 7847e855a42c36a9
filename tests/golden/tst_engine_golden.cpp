// The engine and its command line on the golden tiny SD 1.x checkpoint: the engine makes the
// same image as the pipeline it drives, `bench` prints stages and writes its JSON report and
// one Chrome trace per run, `generate --trace` writes a trace that reads back, `opts` lists
// every registered toggle, and a standalone VAE file replaces the checkpoint's own.
#include <algorithm>

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include "celerity/Engine.h"
#include "celerity/Options.h"
#include "celerity/Profiler.h"
#include "common/GoldenSupport.h"
#include "io/SafetensorsFile.h"
#include "io/SafetensorsWriter.h"
#include "lora/Sha256.h"
#include "metadata/PngTextChunks.h"
#include "pipeline/GenerationPipeline.h"
#include "pipeline/StageObserver.h"
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

  static int countSpans(const JobProfile& profile, const std::string& name) {
    return static_cast<int>(std::count_if(profile.spans.begin(), profile.spans.end(),
                                          [&](const ProfileSpan& span) { return span.name == name; }));
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
    // The engine adds what only it knows: the checkpoint's hash, as A1111 writes it.
    const auto modelHash = Sha256::hashFile(checkpoint()).substr(0, 10);
    JobControl control;
    control.extraParameters = {{"Model hash", modelHash}};
    const auto direct = pipeline.run(request, control);
    QCOMPARE(result.output.images.size(), direct.images.size());
    QVERIFY(result.output.images[0].rgb == direct.images[0].rgb);
    QCOMPARE(result.output.images[0].infotext, direct.images[0].infotext);
    QVERIFY(result.output.images[0].infotext.find("Model hash: " + modelHash + ", Model: sd15_tiny") !=
            std::string::npos);
    QCOMPARE(countSpans(result.output.profile, "load.hash"), 1);
    // Hashed once per file version: the next job takes it from the cache.
    QCOMPARE(countSpans(engine.run(job).output.profile, "load.hash"), 0);

    // A1111's --no-hashing: the same image, no hash computed or written.
    EngineOptions noHashing;
    noHashing.hashFiles = false;
    Engine unhashed(noHashing);
    const auto plain = unhashed.run(job);
    QVERIFY(plain.output.images.at(0).rgb == result.output.images[0].rgb);
    QCOMPARE(plain.output.images.at(0).infotext, pipeline.run(request).images.at(0).infotext);
    QCOMPARE(countSpans(plain.output.profile, "load.hash"), 0);
  }

  // A1111's "SD VAE": a standalone VAE file replaces the checkpoint's own for encoding and
  // decoding, is named with its hash in the infotext, and a job without one gets the
  // checkpoint's VAE back.
  void standaloneVaeReplacesTheCheckpointsOwn() {
    QTemporaryDir dir;
    const auto samePath = dir.filePath("same-vae.safetensors").toStdString();
    const auto shiftedPath = dir.filePath("shifted.safetensors").toStdString();
    const auto unetPath = dir.filePath("unet-only.safetensors").toStdString();
    test::writeStandaloneVae(checkpoint(), samePath);
    test::writeStandaloneVae(checkpoint(), shiftedPath, 0.25);
    const auto source = SafetensorsFile::open(checkpoint());
    std::vector<std::pair<std::string, at::Tensor>> unetOnly;
    for (const auto& name : source->namesWithPrefix("model.diffusion_model.out.")) {
      unetOnly.emplace_back(name, source->tensor(name).clone());
    }
    writeSafetensors(unetPath, unetOnly);

    Engine engine;
    const auto run = [&](const std::string& vae) {
      Job job;
      job.request.checkpointPath = checkpoint();
      job.request.vaePath = vae;
      job.request.prompt = "a lighthouse";
      job.request.seed = 3;
      job.request.steps = 3;
      job.request.width = job.request.height = 64;
      return engine.run(job);
    };
    const auto own = run("");
    const auto sameVae = run(samePath);
    QCOMPARE(sameVae.outcome, JobOutcome::Finished);
    QVERIFY(sameVae.output.images.at(0).rgb == own.output.images.at(0).rgb);  // the same weights
    const auto hash = Sha256::hashFile(samePath).substr(0, 10);
    const auto& text = sameVae.output.images.at(0).infotext;
    QVERIFY2(text.find("VAE hash: " + hash + ", VAE: same-vae.safetensors") != std::string::npos, text.c_str());
    QVERIFY(own.output.images.at(0).infotext.find("VAE") == std::string::npos);
    QCOMPARE(countSpans(sameVae.output.profile, "load.vae"), 1);
    QCOMPARE(countSpans(run(samePath).output.profile, "load.vae"), 0);  // kept loaded

    const auto shiftedVae = run(shiftedPath);
    QCOMPARE(shiftedVae.outcome, JobOutcome::Finished);
    QVERIFY(shiftedVae.output.images.at(0).rgb != own.output.images.at(0).rgb);
    QVERIFY(run("").output.images.at(0).rgb == own.output.images.at(0).rgb);  // its own VAE is back

    const auto missing = run(dir.filePath("nope.safetensors").toStdString());
    QCOMPARE(missing.error.code, ErrorCode::FileNotFound);
    QVERIFY(missing.error.where.find("nope.safetensors") != std::string::npos);
    const auto notAVae = run(unetPath);
    QCOMPARE(notAVae.error.code, ErrorCode::WeightMismatch);
    QVERIFY(notAVae.error.where.find("unet-only.safetensors") != std::string::npos);
    QVERIFY(run("").output.images.at(0).rgb == own.output.images.at(0).rgb);  // nothing left half-set

    // The command line's --vae, into the PNG's parameters.
    const auto out = dir.filePath("out");
    const auto generated = cli({"generate", "--model", QString::fromStdString(checkpoint()), "--prompt", "a lighthouse",
                                "--steps", "2", "--width", "64", "--height", "64", "--seed", "3", "--out", out,
                                "--vae", QString::fromStdString(shiftedPath)});
    QVERIFY2(generated.exitCode == 0, qPrintable(generated.err));
    const auto png = generated.out.trimmed().split('\n').last();
    const auto parameters = readPngParameters(png.toStdString());
    QVERIFY(parameters.has_value());
    QVERIFY2(parameters->find("VAE hash: " + Sha256::hashFile(shiftedPath).substr(0, 10) +
                              ", VAE: shifted.safetensors") != std::string::npos,
             parameters->c_str());
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
