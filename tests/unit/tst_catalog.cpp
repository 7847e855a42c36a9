// celerity/Catalog.h (the torch-free name lists the studio offers) against the engine's own
// registries, entry by entry: a sampler, schedule or upscaler added to one and not the other
// fails here.
#include <QTest>

#include "celerity/Catalog.h"
#include "imaging/LatentUpscale.h"
#include "sampling/SamplerRegistry.h"
#include "sampling/ScheduleRegistry.h"

class TestCatalog : public QObject {
  Q_OBJECT

 private slots:
  void samplersMatchTheRegistry() {
    const auto& registry = celerity::samplerRegistry();
    const auto& catalog = celerity::samplerCatalog();
    QCOMPARE(catalog.size(), registry.size());
    for (std::size_t i = 0; i < registry.size(); ++i) {
      QCOMPARE(catalog[i].name, registry[i].name);
      QCOMPARE(catalog[i].a1111Label, registry[i].a1111Name);
    }
  }

  void schedulesMatchTheRegistry() {
    const auto& registry = celerity::scheduleRegistry();
    const auto& catalog = celerity::scheduleCatalog();
    QCOMPARE(catalog.size(), registry.size());
    for (std::size_t i = 0; i < registry.size(); ++i) {
      QCOMPARE(catalog[i].name, registry[i].name);
      QVERIFY(catalog[i].aliases == registry[i].aliases);
      QCOMPARE(catalog[i].description, registry[i].description);
    }
  }

  void upscalersMatchTheLatentModes() {
    const auto& modes = celerity::latentUpscaleModes();
    const auto& catalog = celerity::hiresUpscalerCatalog();
    QCOMPARE(catalog.size(), modes.size());
    for (std::size_t i = 0; i < modes.size(); ++i) {
      QCOMPARE(catalog[i], std::string(celerity::latentUpscaleModeName(modes[i])));
    }
  }

  void lookupMatchesTheRegistries() {
    // Every accepted spelling finds the same entry in both, exact before case-insensitive.
    for (const auto& name : celerity::samplerNames()) {
      const auto* entry = celerity::findSamplerEntry(name);
      QVERIFY2(entry != nullptr, name.c_str());
      QCOMPARE(entry->name, celerity::findSampler(name).name);
    }
    for (const auto& name : celerity::scheduleNames()) {
      const auto* entry = celerity::findScheduleEntry(name);
      QVERIFY2(entry != nullptr, name.c_str());
      QCOMPARE(entry->name, celerity::findSchedule(name).name);
    }
    QCOMPARE(celerity::findSamplerEntry("lms")->name, std::string("lms"));
    QCOMPARE(celerity::findSamplerEntry("LMS")->name, std::string("lms_kdiffusion"));
    QCOMPARE(celerity::findSamplerEntry("euler a")->displayName(), std::string("Euler a"));
    QCOMPARE(celerity::findScheduleEntry("automatic")->name, std::string("normal"));
    QVERIFY(celerity::findSamplerEntry("warp drive") == nullptr);
    QVERIFY(celerity::findScheduleEntry("") == nullptr);
  }
};

QTEST_APPLESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
