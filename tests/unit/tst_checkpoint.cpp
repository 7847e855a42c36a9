// Checkpoint detection on hand-made key sets: the families we refuse and the edge cases.
#include <QTest>

#include "celerity/CheckpointInfo.h"
#include "checkpoint/CheckpointDetector.h"

using namespace celerity;

namespace {

ShapeMap shapesOf(std::initializer_list<std::pair<const char*, std::vector<std::int64_t>>> items,
                  const char* dtype = "F16") {
  ShapeMap map;
  for (const auto& [name, shape] : items) map.add(name, shape, dtype);
  return map;
}

}  // namespace

class TestCheckpoint : public QObject {
  Q_OBJECT

 private slots:
  void sd1UNetAloneIsSd1() {
    const auto info = detectCheckpoint(shapesOf({
        {"model.diffusion_model.input_blocks.0.0.weight", {320, 4, 3, 3}},
        {"model.diffusion_model.middle_block.1.proj_in.weight", {1280, 1280, 1, 1}},
    }));
    QCOMPARE(info.family, ModelFamily::SD1);
    QVERIFY(info.has(ComponentKind::UNet));
    QCOMPARE(info.component(ComponentKind::UNet)->parameterCount, 320 * 4 * 9 + 1280 * 1280);
    QCOMPARE(info.component(ComponentKind::UNet)->tensorsPerDtype.at("F16"), std::int64_t(2));
  }

  void sd2IsRefusedAsUnknown() {
    const auto info = detectCheckpoint(shapesOf({
        {"model.diffusion_model.middle_block.1.proj_in.weight", {1280, 1280}},
        {"cond_stage_model.model.token_embedding.weight", {49408, 1024}},
    }));
    QCOMPARE(info.family, ModelFamily::Unknown);
    QVERIFY(info.familyReason.find("SD 2") != std::string::npos);
  }

  void sdxlRefinerIsRefusedAsUnknown() {
    const auto info = detectCheckpoint(shapesOf({
        {"model.diffusion_model.label_emb.0.0.weight", {1536, 2560}},
        {"conditioner.embedders.0.model.token_embedding.weight", {49408, 1280}},
    }));
    QCOMPARE(info.family, ModelFamily::Unknown);
    QVERIFY(info.familyReason.find("refiner") != std::string::npos);
  }

  void vaeAloneIsUnknownWithComponent() {
    const auto info = detectCheckpoint(shapesOf({{"first_stage_model.decoder.conv_in.weight", {512, 4, 3, 3}}}));
    QCOMPARE(info.family, ModelFamily::Unknown);
    QVERIFY(info.has(ComponentKind::Vae));
  }

  void integerBuffersAreNotParameters() {
    ShapeMap map;
    map.add("cond_stage_model.transformer.text_model.embeddings.position_ids", {1, 77}, "I64");
    map.add("cond_stage_model.transformer.text_model.final_layer_norm.weight", {768}, "F32");
    const auto info = detectCheckpoint(map);
    QCOMPARE(info.family, ModelFamily::SD1);
    QCOMPARE(info.component(ComponentKind::ClipL)->parameterCount, std::int64_t(768));
    QCOMPARE(info.component(ComponentKind::ClipL)->tensorCount, std::int64_t(2));
  }

  void emptyFileIsUnknown() {
    const auto info = detectCheckpoint(ShapeMap{});
    QCOMPARE(info.family, ModelFamily::Unknown);
    QVERIFY(info.components.empty());
    const auto text = describeCheckpoint(info);
    QVERIFY(text.find("unknown") != std::string::npos);
  }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
