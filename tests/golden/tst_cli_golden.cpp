// celerity-cli run as a process: `inspect` on the golden checkpoints and on bad files,
// `tokenize` on a prompt, `generate` on the tiny SD 1.x checkpoint, `make-checkpoint`.
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "common/GoldenSupport.h"
#include "metadata/InfotextParser.h"
#include "metadata/PngTextChunks.h"

class TestCliGolden : public QObject {
  Q_OBJECT

 private:
  struct Run {
    int exitCode = -1;
    QString out, err;
  };

  static Run inspect(const QStringList& files) { return cli(QStringList{"inspect"} + files); }

  static Run cli(const QStringList& arguments) {
    QProcess process;
    process.start(qEnvironmentVariable("CELERITY_CLI"), arguments);
    Run run;
    if (!process.waitForFinished(300000)) return run;
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
  }

  static QString golden(const char* name) {
    return QString::fromStdString(celerity::test::goldenPath(name).string());
  }

 private slots:
  void initTestCase() { QVERIFY2(!qEnvironmentVariableIsEmpty("CELERITY_CLI"), "CELERITY_CLI not set"); }

  void printsArchitectureAndComponents() {
    const auto run = inspect({golden("sd15_tiny.safetensors"), golden("unet_sdxl_tiny.safetensors")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains("architecture: SD 1.x"), qPrintable(run.out));
    QVERIFY2(run.out.contains("architecture: SDXL base"), qPrintable(run.out));
    QVERIFY(run.out.contains("UNet"));
    QVERIFY(run.out.contains("CLIP-L text encoder"));
    QVERIFY(run.out.contains("VAE"));
    QVERIFY(run.out.contains("F32 x686"));  // the tiny SD 1.x UNet's 686 tensors
    // Hyper-parameters read from the weights: the tiny SD 1.x UNet is 32 channels wide with
    // CLIP context 32; the tiny SDXL UNet takes a 1600-wide vector.
    QVERIFY2(run.out.contains("UNet (SD 1.x): 32 channels x [1,2,4,4]"), qPrintable(run.out));
    QVERIFY2(run.out.contains("context 32"), qPrintable(run.out));
    QVERIFY2(run.out.contains("vector input 1600"), qPrintable(run.out));
    QVERIFY2(run.out.contains("CLIP-L: width 32, 2 layers, 4 heads"), qPrintable(run.out));
  }

  void refusesPickleWithReason() {
    QTemporaryDir dir;
    const QString path = dir.filePath("model.ckpt");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("PK\x03\x04 not a real archive");
    file.close();
    const auto run = inspect({path});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(path) && run.err.contains("pickle"), qPrintable(run.err));
  }

  void tokenizeShowsChunksWeightsAndSchedule() {
    const auto run = cli({"tokenize", "--model", golden("sd15_tiny.safetensors"), "--steps", "10",
                          "a (red:1.3) cat, [dog:bird:0.5] BREAK sky <lora:foo:0.7>"});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains("model: SD 1.x"), qPrintable(run.out));
    QVERIFY2(run.out.contains("lora 'foo' text encoder x0.7, UNet x0.7"), qPrintable(run.out));
    QVERIFY2(run.out.contains("until step 5:") && run.out.contains("until step 10:"), qPrintable(run.out));
    QVERIFY2(run.out.contains("(736 x1.3)"), qPrintable(run.out));  // "red" weighted 1.3
    QVERIFY2(run.out.contains("tokens: 76/150 in 2 chunks"), qPrintable(run.out));  // BREAK
  }

  void generateWritesPngWithA1111Parameters() {
    QTemporaryDir out;
    const auto run = cli({"generate", "--model", golden("sd15_tiny.safetensors"), "--prompt",
                          "a photo of a cat", "--negative", "blurry", "--steps", "3", "--seed", "42",
                          "--width", "128", "--height", "128", "--sampler", "Euler a", "--out",
                          out.path()});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QString png = out.filePath("00000-42.png");
    QVERIFY2(QFile::exists(png), qPrintable(run.err));
    const auto text = celerity::readPngParameters(png.toStdString());
    QVERIFY(text.has_value());
    const auto parsed = celerity::parseInfotext(*text);
    const auto field = [&](const char* key) {
      const auto* value = parsed.find(key);
      return value ? QString::fromStdString(celerity::pyfmt::str(*value)) : QString();
    };
    QCOMPARE(field("Prompt"), QString("a photo of a cat"));
    QCOMPARE(field("Negative prompt"), QString("blurry"));
    QCOMPARE(field("Steps"), QString("3"));
    QCOMPARE(field("Sampler"), QString("Euler a"));
    QCOMPARE(field("Seed"), QString("42"));
    QCOMPARE(field("Size-1"), QString("128"));
    QCOMPARE(field("Size-2"), QString("128"));
  }

  void generateRejectsBadSize() {
    const auto run = cli({"generate", "--model", golden("sd15_tiny.safetensors"), "--prompt", "x",
                          "--width", "100"});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("width"), qPrintable(run.err));
  }

  // Random weights of both architectures, detected as what they claim to be.
  void makeCheckpointThenInspect() {
    QTemporaryDir out;
    const struct {
      const char* arch;
      const char* family;
    } cases[] = {{"sd15", "architecture: SD 1.x"}, {"sdxl", "architecture: SDXL base"}};
    for (const auto& c : cases) {
      const QString path = out.filePath(QString(c.arch) + ".safetensors");
      const auto made = cli({"make-checkpoint", "--arch", c.arch, "--size", "tiny", "--seed", "1", path});
      QVERIFY2(made.exitCode == 0, qPrintable(made.err));
      QVERIFY2(made.out.contains("tensors:") && made.out.contains("parameters:"), qPrintable(made.out));
      const auto run = inspect({path});
      QCOMPARE(run.exitCode, 0);
      QVERIFY2(run.out.contains(c.family), qPrintable(run.out));
    }
    const auto bad = cli({"make-checkpoint", "--arch", "sd21", "--seed", "1", out.filePath("x.safetensors")});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("sd21"), qPrintable(bad.err));
  }

  void reportsMissingFile() {
    const auto run = inspect({"/nonexistent/model.safetensors"});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("/nonexistent/model.safetensors"), qPrintable(run.err));
  }
};

QTEST_GUILESS_MAIN(TestCliGolden)
#include "tst_cli_golden.moc"
