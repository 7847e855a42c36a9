// LoRA against the reference vectors: the kohya LoRA/LoCon of sd15_tiny merged at the
// multiplier of the .expected metadata (UNet eps, text-encoder states and merged weights of
// every stored case), in merged and in runtime mode; and every kohya module name ComfyUI maps
// for real full-size SD 1.5 and SDXL checkpoints (manifest_lora_keys.json) resolving to its
// checkpoint tensor, shape, q/k/v row slice and transposition, on models built on the meta
// device from the manifests' shapes.
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <QTest>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "checkpoint/CheckpointDetector.h"
#include "common/GoldenSupport.h"
#include "common/ManifestSupport.h"
#include "io/SafetensorsFile.h"
#include "lora/LoraFile.h"
#include "lora/LoraKeyMap.h"
#include "lora/LoraPatcher.h"
#include "pipeline/LoadedModel.h"

using namespace celerity;
using celerity::test::caseNames;
using celerity::test::caseTensor;
using celerity::test::goldenPath;
using celerity::test::openGolden;

namespace {

const std::string kExpected = "lora_sd15_tiny.expected.safetensors";
const std::string kManifest = "manifest_lora_keys.json";

std::string requiredMetadata(const SafetensorsFile& file, const std::string& key) {
  const auto value = file.metadataValue(key);
  if (!value) throw CelerityError(ErrorCode::MalformedFile, "metadata has no '" + key + "'", file.path().string());
  return *value;
}

bool startsWith(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// Names of the file's tensors below `prefix` with the prefix cut off.
std::vector<std::string> namesBelow(const SafetensorsFile& file, const std::string& prefix) {
  std::vector<std::string> names;
  for (const auto& info : file.tensors()) {
    if (startsWith(info.name, prefix)) names.push_back(info.name.substr(prefix.size()));
  }
  return names;
}

}  // namespace

class TestLoraGolden : public QObject {
  Q_OBJECT

 private:
  // Applies the golden LoRA to sd15_tiny in the given mode and checks every case.
  void checkCases(bool unmerged) {
    const auto expected = openGolden(kExpected);
    const auto multiplier = std::stod(requiredMetadata(*expected, "multiplier"));
    const auto model = LoadedModel::fromCheckpoint(goldenPath(requiredMetadata(*expected, "weights")));
    const auto loraPath = goldenPath(requiredMetadata(*expected, "lora"));
    // Without the LoRA the outputs must differ, or the comparison below would prove nothing.
    {
      c10::InferenceMode guard;
      int moved = 0;
      for (const auto& name : caseNames(*expected)) {
        if (!expected->contains(name + ".eps")) continue;
        const auto eps = model->unet()->forward(caseTensor(*expected, name, "x"), caseTensor(*expected, name, "timesteps"),
                                                caseTensor(*expected, name, "context"));
        moved += test::compareTensors(eps, caseTensor(*expected, name, "eps")).ok ? 0 : 1;
      }
      QVERIFY(moved > 0);
    }
    LoraPatcher patcher(model);
    LoraApplyOptions options;
    options.unmerged = unmerged;
    const auto report = patcher.apply({{loraPath, loraPath.stem().string(), multiplier, multiplier}}, options);
    QCOMPARE(report.files.size(), std::size_t(1));
    QVERIFY2(report.files[0].unmatched.empty(), report.files[0].unmatched.empty() ? "" : report.files[0].unmatched[0].c_str());
    QCOMPARE(report.files[0].modulesMatched, static_cast<int>(LoraFile::open(loraPath)->adapters().size()));
    QVERIFY(!patcher.stateId().empty());

    c10::InferenceMode guard;
    const auto cases = caseNames(*expected);
    QVERIFY(!cases.empty());
    int checked = 0;
    for (const auto& name : cases) {
      const auto label = std::string(unmerged ? "runtime " : "merged ") + name;
      const auto has = [&](const std::string& part) { return expected->contains(name + "." + part); };
      if (name == "merged") {
        // Weights as the LoRA leaves them (runtime mode: the weight plus its forward adapters).
        for (const auto& key : namesBelow(*expected, "merged.")) {
          const auto actual = patcher.effectiveWeight(key);
          QVERIFY2(actual.defined(), (label + ": no tensor " + key).c_str());
          CELERITY_COMPARE_TENSORS(label + " " + key, actual, caseTensor(*expected, name, key));
          ++checked;
        }
      } else if (has("x") && has("timesteps") && has("context") && has("eps")) {
        const auto eps = model->unet()->forward(caseTensor(*expected, name, "x"), caseTensor(*expected, name, "timesteps"),
                                                caseTensor(*expected, name, "context"));
        CELERITY_COMPARE_TENSORS(label + " eps", eps, caseTensor(*expected, name, "eps"));
        ++checked;
      } else if (!namesBelow(*expected, name + ".tokens_").empty()) {
        // Text encoder: tokens_<row> in, last_hidden_<row> out.
        for (const auto& row : namesBelow(*expected, name + ".tokens_")) {
          const auto hidden = model->clipL()->forward(caseTensor(*expected, name, "tokens_" + row)).lastHidden;
          CELERITY_COMPARE_TENSORS(label + " " + row, hidden, caseTensor(*expected, name, "last_hidden_" + row));
          ++checked;
        }
      } else {
        QFAIL(("case '" + name + "' has no structure this test knows").c_str());
      }
    }
    QVERIFY(checked >= static_cast<int>(cases.size()));

    // Removing the LoRA gives the checkpoint's own weights back, bit for bit.
    patcher.clear();
    const auto file = SafetensorsFile::open(goldenPath(requiredMetadata(*expected, "weights")));
    for (const auto& key : namesBelow(*expected, "merged.")) {
      QVERIFY2(at::equal(patcher.effectiveWeight(key), file->tensor(key).to(at::kFloat)), key.c_str());
    }
  }

 private slots:
  void mergedMatchesReference() { checkCases(false); }
  void runtimeMatchesReference() { checkCases(true); }

  void goldenTargetsResolve() {
    // The LoRA's own metadata names the checkpoint key each module patches.
    const auto expected = openGolden(kExpected);
    const auto lora = openGolden(requiredMetadata(*expected, "lora"));
    const auto targets = nlohmann::json::parse(requiredMetadata(*lora, "golden_targets"));
    const auto model = LoadedModel::fromCheckpoint(goldenPath(requiredMetadata(*expected, "weights")));
    const LoraKeyMap map(LoraModelParts::of(*model));
    QVERIFY(!targets.empty());
    for (const auto& [name, key] : targets.items()) {
      const auto* target = map.find(name);
      QVERIFY2(target != nullptr, name.c_str());
      QCOMPARE(target->checkpointKey, key.get<std::string>());
    }
    QCOMPARE(targets.size(), LoraFile::open(goldenPath(requiredMetadata(*expected, "lora")))->adapters().size());
  }

  void manifestKeysResolve() {
    std::ifstream in(goldenPath(kManifest));
    QVERIFY2(in.good(), goldenPath(kManifest).string().c_str());
    const auto document = nlohmann::json::parse(in);
    const auto& models = document.at("models");
    QVERIFY(!models.empty());
    const auto meta = at::TensorOptions().device(at::kMeta);
    for (const auto& [modelName, entry] : models.items()) {
      const auto manifest = test::loadManifest(entry.at("manifest").get<std::string>());
      const auto family = detectCheckpoint(manifest.shapes).family;
      QVERIFY2(family == ModelFamily::SD1 || family == ModelFamily::SDXL, modelName.c_str());
      const bool sdxl = family == ModelFamily::SDXL;
      const auto clipPrefix = (sdxl ? checkpoint_keys::kSdxlClipL : checkpoint_keys::kSd1ClipL) + "text_model.";
      UNetModel unet(UNetConfig::fromWeights(manifest.shapes, checkpoint_keys::kUNet), meta);
      ClipTextModel clip(ClipTextConfig::fromWeights(manifest.shapes, clipPrefix), meta);
      OpenClipTextModel openClip{nullptr};
      if (sdxl) openClip = OpenClipTextModel(OpenClipTextConfig::fromWeights(manifest.shapes, checkpoint_keys::kSdxlOpenClipG), meta);
      const LoraModelParts parts = LoraModelParts::standard(family, unet, clip, openClip);
      const LoraKeyMap map(parts);

      const auto& keys = entry.at("keys");
      QVERIFY(!keys.empty());
      std::size_t checked = 0;
      for (const auto& [name, expected] : keys.items()) {
        const auto label = modelName + " " + name;
        const auto* target = map.find(name);
        if (expected.at("checkpoint_key").is_null()) {
          // ComfyUI's own identity projection of CLIP-L: no tensor of the checkpoint.
          QVERIFY2(target == nullptr, label.c_str());
          ++checked;
          continue;
        }
        QVERIFY2(target != nullptr, label.c_str());
        const auto key = expected.at("checkpoint_key").get<std::string>();
        QVERIFY2(target->checkpointKey == key, (label + ": " + target->checkpointKey + " instead of " + key).c_str());
        QVERIFY2(target->shape == expected.at("shape").get<std::vector<std::int64_t>>(), label.c_str());
        if (expected.contains("rows")) {
          const auto rows = expected.at("rows").get<std::vector<std::int64_t>>();
          QVERIFY2(target->sliced() && target->rowBegin == rows.at(0) && target->rowEnd == rows.at(1), label.c_str());
        } else {
          QVERIFY2(!target->sliced(), label.c_str());
        }
        QCOMPARE(target->transposed, expected.value("transposed", false));
        // The whole checkpoint tensor has the manifest's shape.
        const auto full = expected.contains("checkpoint_shape") ? expected.at("checkpoint_shape") : expected.at("shape");
        QVERIFY2(manifest.shapes.shape(key) == full.get<std::vector<std::int64_t>>(), label.c_str());
        ++checked;
      }
      QCOMPARE(checked, keys.size());
    }
  }
};

QTEST_APPLESS_MAIN(TestLoraGolden)
#include "tst_lora_golden.moc"
