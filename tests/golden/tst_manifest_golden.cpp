// Checkpoint detection on the manifests of real SD 1.5 / SDXL checkpoints and on the tiny
// golden checkpoints: family, components, tensor and parameter counts.
#include <QTest>

#include "celerity/CheckpointInfo.h"
#include "checkpoint/CheckpointDetector.h"
#include "common/GoldenSupport.h"
#include "common/ManifestSupport.h"

using namespace celerity;

namespace {

ComponentKind kindOfManifestComponent(const std::string& name) {
  if (name == "unet") return ComponentKind::UNet;
  if (name == "vae") return ComponentKind::Vae;
  if (name == "clip_l") return ComponentKind::ClipL;
  if (name == "clip_g") return ComponentKind::OpenClipG;
  return ComponentKind::Invalid;  // schedule buffers, denoiser: not components of ours
}

}  // namespace

class TestManifestGolden : public QObject {
  Q_OBJECT

 private slots:
  void detectsManifest_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("family");
    QTest::newRow("sd15") << "manifest_sd15.json" << static_cast<int>(ModelFamily::SD1);
    QTest::newRow("sdxl") << "manifest_sdxl.json" << static_cast<int>(ModelFamily::SDXL);
  }

  void detectsManifest() {
    QFETCH(QString, file);
    QFETCH(int, family);
    const auto manifest = test::loadManifest(file.toStdString());
    const auto info = detectCheckpoint(manifest.shapes);
    QCOMPARE(static_cast<int>(info.family), family);
    QCOMPARE(info.tensorCount, static_cast<std::int64_t>(manifest.shapes.entries().size()));

    // Every component the reference lists is found with its tensor and parameter counts.
    int expectedComponents = 0;
    for (const auto& [name, facts] : manifest.json.at("components").items()) {
      const auto kind = kindOfManifestComponent(name);
      if (kind == ComponentKind::Invalid) continue;
      ++expectedComponents;
      const ComponentInfo* component = info.component(kind);
      QVERIFY2(component != nullptr, name.c_str());
      // The reference's prefixes may be longer (…transformer.) than ours; counts must agree.
      QVERIFY2(facts.at("prefix").get<std::string>().rfind(component->prefix, 0) == 0 ||
                   component->prefix.rfind(facts.at("prefix").get<std::string>(), 0) == 0,
               name.c_str());
      QCOMPARE(component->tensorCount, facts.at("num_tensors").get<std::int64_t>());
      QCOMPARE(component->parameterCount, facts.at("num_parameters").get<std::int64_t>());
    }
    QCOMPARE(static_cast<int>(info.components.size()), expectedComponents);
  }

  void detectsEmaKeysOfManifest() {
    // The optional EMA keys of the SD 1.5 manifest are reported, not mistaken for components.
    auto manifest = test::loadManifest("manifest_sd15.json");
    const auto& optional = manifest.json.at("optional_tensors").at("tensors");
    QVERIFY(!optional.empty());
    for (const auto& [name, entry] : optional.items()) {
      manifest.shapes.add(name, entry.at("shape").get<std::vector<std::int64_t>>(),
                          entry.at("dtype").get<std::string>());
    }
    const auto info = detectCheckpoint(manifest.shapes);
    QCOMPARE(info.family, ModelFamily::SD1);
    QCOMPARE(info.notes.size(), size_t(1));
    QVERIFY(info.otherTensorCount >= static_cast<std::int64_t>(optional.size()));
  }

  void detectsTinyCheckpoints_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("family");
    QTest::addColumn<QList<int>>("components");
    const int unet = static_cast<int>(ComponentKind::UNet);
    const int clipL = static_cast<int>(ComponentKind::ClipL);
    const int clipG = static_cast<int>(ComponentKind::OpenClipG);
    const int vae = static_cast<int>(ComponentKind::Vae);
    QTest::newRow("sd15_tiny") << "sd15_tiny.safetensors" << static_cast<int>(ModelFamily::SD1)
                               << QList<int>{unet, clipL, vae};
    QTest::newRow("unet_sdxl_tiny") << "unet_sdxl_tiny.safetensors"
                                    << static_cast<int>(ModelFamily::SDXL) << QList<int>{unet};
    QTest::newRow("clip_l_tiny") << "clip_l_tiny.safetensors"
                                 << static_cast<int>(ModelFamily::SD1) << QList<int>{clipL};
    QTest::newRow("clip_g_tiny") << "clip_g_tiny.safetensors"
                                 << static_cast<int>(ModelFamily::SDXL) << QList<int>{clipG};
    QTest::newRow("lora") << "lora_sd15_tiny.safetensors"
                          << static_cast<int>(ModelFamily::Unknown) << QList<int>{};
  }

  void detectsTinyCheckpoints() {
    QFETCH(QString, file);
    QFETCH(int, family);
    QFETCH(QList<int>, components);
    const auto st = test::openGolden(file.toStdString());
    const auto info = detectCheckpoint(ShapeMap::of(*st));
    QCOMPARE(static_cast<int>(info.family), family);
    QList<int> found;
    for (const auto& c : info.components) found.append(static_cast<int>(c.kind));
    QCOMPARE(found, components);
  }
};

QTEST_GUILESS_MAIN(TestManifestGolden)
#include "tst_manifest_golden.moc"
