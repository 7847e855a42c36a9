// `celerity-cli inspect` run as a process on the golden checkpoints and on bad files.
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "common/GoldenSupport.h"

class TestInspectGolden : public QObject {
  Q_OBJECT

 private:
  struct Run {
    int exitCode = -1;
    QString out, err;
  };

  static Run inspect(const QStringList& files) {
    QProcess process;
    process.start(qEnvironmentVariable("CELERITY_CLI"), QStringList{"inspect"} + files);
    Run run;
    if (!process.waitForFinished(60000)) return run;
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

  void reportsMissingFile() {
    const auto run = inspect({"/nonexistent/model.safetensors"});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("/nonexistent/model.safetensors"), qPrintable(run.err));
  }
};

QTEST_GUILESS_MAIN(TestInspectGolden)
#include "tst_inspect_golden.moc"
