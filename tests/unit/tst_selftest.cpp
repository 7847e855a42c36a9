// The device self-test on the CPU: one row per registered toggle (run or skipped with a
// reason), exact toggles with no difference at all from the fp32 reference, the others within
// the fp32 tolerance, half precision measured for information, and a table and JSON that
// say so.
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "celerity/Options.h"
#include "celerity/SelfTest.h"

using namespace celerity;

class TestSelfTest : public QObject {
  Q_OBJECT

 private slots:
  void cpuSelfTestCoversEveryToggle() {
    QTemporaryDir dir;
    SelfTestOptions options;
    options.workFolder = dir.path().toStdString();
    options.archs = {"sd15"};
    int seen = 0;
    const auto report = runSelfTest(options, [&](const SelfTestRow&) { ++seen; });
    QCOMPARE(report.device, std::string("cpu"));
    QCOMPARE(seen, static_cast<int>(report.rows.size()));
    QVERIFY(report.passed());

    const auto rowNamed = [&](const std::string& prefix) -> const SelfTestRow* {
      for (const auto& row : report.rows) {
        if (row.name.rfind(prefix, 0) == 0) return &row;
      }
      return nullptr;
    };
    for (const auto& info : optimizationCatalog()) {
      const auto* row = rowNamed(info.id + "=");
      QVERIFY2(row != nullptr, info.id.c_str());
      if (row->skipped) {
        QVERIFY2(!row->note.empty(), info.id.c_str());
        continue;
      }
      QVERIFY2(row->passed, (info.id + " " + row->note).c_str());
      QCOMPARE(row->tolerance, 1e-4);
      if (info.numerics == NumericsClass::Exact) QCOMPARE(row->latentError, 0.0);
    }
    // Toggles the CPU cannot run are skipped with the reason, not passed silently.
    const auto* cudaOnly = rowNamed("unet.cuda_graphs=");
    QVERIFY(cudaOnly->skipped);
    QVERIFY(cudaOnly->note.find("CUDA") != std::string::npos);
    // cfg batching reorders sums: a difference, but far below the tolerance.
    const auto* cfg = rowNamed("unet.cfg_batch=off");
    QVERIFY(cfg->latentError > 0.0 && cfg->latentError < 1e-4);
    const auto* half = rowNamed("half precision UNet + VAE");
    QVERIFY(half->informational);
    QCOMPARE(half->precision, std::string("bf16"));
    QVERIFY(half->latentError > 0.0);

    const auto table = formatSelfTestTable(report);
    QVERIFY(table.find("all within tolerance") != std::string::npos);
    QVERIFY(table.find("unet.cfg_batch=off") != std::string::npos);
    const auto json = nlohmann::json::parse(selfTestJson(report));
    QCOMPARE(json.at("passed").get<bool>(), true);
    QCOMPARE(json.at("rows").size(), report.rows.size());
  }

  void unknownDeviceIsAClearError() {
    SelfTestOptions options;
    options.device = "tpu";
    try {
      runSelfTest(options);
      QFAIL("no error");
    } catch (const CelerityError& e) {
      QCOMPARE(e.error().where, std::string("--device"));
    }
  }
};

QTEST_APPLESS_MAIN(TestSelfTest)
#include "tst_selftest.moc"
