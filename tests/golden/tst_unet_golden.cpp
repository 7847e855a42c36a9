// The SD 1.x / SDXL UNet against the reference vectors: eps for every stored case, SDXL's
// vector condition and context, and the full-size module trees against the manifests of
// real SD 1.5 and SDXL base checkpoints (names, shapes, heads per level).
#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <QElapsedTimer>
#include <QTest>
#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "common/GoldenSupport.h"
#include "io/SafetensorsFile.h"
#include "io/ShapeMap.h"
#include "models/common/WeightLoader.h"
#include "models/unet/SdxlConditioning.h"
#include "models/unet/UNetConfig.h"
#include "models/unet/UNetModel.h"

using namespace celerity;
using celerity::test::caseNames;
using celerity::test::caseTensor;
using celerity::test::compareTensors;
using celerity::test::goldenPath;
using celerity::test::openGolden;

namespace {

const std::vector<std::string> kExpectedFiles = {"unet_sd15_tiny.expected.safetensors",
                                                 "unet_sdxl_tiny.expected.safetensors"};
const std::vector<std::string> kManifests = {"manifest_sd15.json", "manifest_sdxl.json"};

std::string requiredMetadata(const SafetensorsFile& file, const std::string& key) {
  const auto value = file.metadataValue(key);
  if (!value) {
    throw CelerityError(ErrorCode::MalformedFile, "metadata has no '" + key + "'", file.path().string());
  }
  return *value;
}

nlohmann::json readJson(const std::string& fileName) {
  std::ifstream in(goldenPath(fileName));
  if (!in) throw CelerityError(ErrorCode::FileNotFound, "cannot open", goldenPath(fileName).string());
  return nlohmann::json::parse(in);
}

// The manifest's tensors as a checkpoint's ShapeMap (no metadata: heads follow the family rule).
ShapeMap manifestShapes(const nlohmann::json& manifest, const std::string& name) {
  ShapeMap map;
  map.source = name;
  for (const auto& [key, entry] : manifest.at("tensors").items()) {
    map.add(key, entry.at("shape").get<std::vector<std::int64_t>>(), entry.at("dtype").get<std::string>());
  }
  return map;
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::ostringstream out;
  out << '[';
  for (std::size_t i = 0; i < shape.size(); ++i) out << (i ? "," : "") << shape[i];
  out << ']';
  return out.str();
}

std::int64_t intOr(const nlohmann::json& value, std::int64_t fallback) {
  return value.is_null() ? fallback : value.get<std::int64_t>();
}

}  // namespace

class TestUNetGolden : public QObject {
  Q_OBJECT

 private:
  std::map<std::string, UNetModel> models_;     // by weights file
  std::map<std::string, double> worstRelative_;  // by golden file

  UNetModel& modelFor(const SafetensorsFile& expected) {
    const auto weights = requiredMetadata(expected, "weights");
    const auto prefix = requiredMetadata(expected, "weights_prefix");
    const auto key = weights + "|" + prefix;
    auto it = models_.find(key);
    if (it == models_.end()) {
      const auto file = openGolden(weights);
      it = models_.emplace(key, loadUNetModel(*file, prefix)).first;
    }
    return it->second;
  }

  void record(const std::string& fileName, const std::string& label, const at::Tensor& out,
              const at::Tensor& ref) {
    const auto cmp = compareTensors(out, ref);
    const double rel = cmp.maxAbsRef > 0 ? cmp.maxAbsDiff / cmp.maxAbsRef : cmp.maxAbsDiff;
    auto& worst = worstRelative_[fileName];
    worst = std::max(worst, rel);
    qInfo("%s %s: rel %.3g", fileName.c_str(), label.c_str(), rel);
    QVERIFY2(cmp.ok, (label + ": " + cmp.message).c_str());
  }

  // One row per case of every expected file; a file that cannot be read becomes a failing row.
  void addCaseRows(bool vectorConditionOnly) {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("caseName");
    QTest::addColumn<QString>("error");
    for (const auto& fileName : kExpectedFiles) {
      try {
        const auto file = openGolden(fileName);
        const auto cases = caseNames(*file);
        if (cases.empty()) throw CelerityError(ErrorCode::MalformedFile, "no cases", fileName);
        for (const auto& name : cases) {
          if (vectorConditionOnly && !(file->contains(name + ".pooled") && file->contains(name + ".size_ids"))) {
            continue;
          }
          QTest::newRow((fileName + ":" + name).c_str())
              << QString::fromStdString(fileName) << QString::fromStdString(name) << QString();
        }
      } catch (const std::exception& e) {
        QTest::newRow((fileName + ":unreadable").c_str())
            << QString::fromStdString(fileName) << QString() << QString::fromUtf8(e.what());
      }
    }
  }

 private slots:
  void eps_data() { addCaseRows(false); }

  void eps() {
    QFETCH(QString, file);
    QFETCH(QString, caseName);
    QFETCH(QString, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const auto fileName = file.toStdString();
    const auto name = caseName.toStdString();
    try {
      const auto golden = openGolden(fileName);
      auto& model = modelFor(*golden);
      const auto x = caseTensor(*golden, name, "x");
      const auto timesteps = caseTensor(*golden, name, "timesteps");
      const auto context = caseTensor(*golden, name, "context");
      const auto y = golden->contains(name + ".y") ? caseTensor(*golden, name, "y") : at::Tensor();
      const auto expected = caseTensor(*golden, name, "eps");
      c10::InferenceMode guard;
      QElapsedTimer timer;
      timer.start();
      const auto eps = model->forward(x, timesteps, context, y);
      qInfo("%s %s: forward %lld ms", fileName.c_str(), name.c_str(), static_cast<long long>(timer.elapsed()));
      record(fileName, name + ".eps", eps, expected);
    } catch (const std::exception& e) {
      QFAIL(e.what());
    }
  }

  void vectorCondition_data() { addCaseRows(true); }

  void vectorCondition() {
    QFETCH(QString, file);
    QFETCH(QString, caseName);
    QFETCH(QString, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const auto fileName = file.toStdString();
    const auto name = caseName.toStdString();
    try {
      const auto golden = openGolden(fileName);
      const auto y = sdxlVectorCondition(caseTensor(*golden, name, "pooled"), caseTensor(*golden, name, "size_ids"));
      record(fileName, name + ".y", y, caseTensor(*golden, name, "y"));
      const auto context = at::cat(
          {caseTensor(*golden, name, "clip_l_context"), caseTensor(*golden, name, "clip_g_context")}, -1);
      record(fileName, name + ".context", context, caseTensor(*golden, name, "context"));
    } catch (const std::exception& e) {
      QFAIL(e.what());
    }
  }

  // Heads come from the files' `unet_config`; without it, from the family the weights imply.
  void headsFromMetadata_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("error");
    for (const auto& name : kExpectedFiles) QTest::newRow(name.c_str()) << QString::fromStdString(name) << QString();
  }

  void headsFromMetadata() {
    QFETCH(QString, file);
    QFETCH(QString, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    try {
      const auto golden = openGolden(file.toStdString());
      const auto prefix = requiredMetadata(*golden, "weights_prefix");
      const auto weights = openGolden(requiredMetadata(*golden, "weights"));
      auto shapes = ShapeMap::of(*weights);
      const auto meta = nlohmann::json::parse(requiredMetadata(*weights, "unet_config"));
      const auto config = UNetConfig::fromWeights(shapes, prefix);
      QCOMPARE(config.numHeads, meta.value("num_heads", std::int64_t{-1}));
      QCOMPARE(config.numHeadChannels, meta.value("num_head_channels", std::int64_t{-1}));
      const bool sdxl = meta.contains("adm_in_channels");
      QCOMPARE(static_cast<int>(config.family), static_cast<int>(sdxl ? UNetFamily::Sdxl : UNetFamily::Sd1));
      QCOMPARE(config.modelChannels, meta.at("model_channels").get<std::int64_t>());
      QCOMPARE(config.contextDim, meta.at("context_dim").get<std::int64_t>());
      QCOMPARE(config.channelMult, meta.at("channel_mult").get<std::vector<std::int64_t>>());
      QCOMPARE(config.admInChannels, meta.value("adm_in_channels", std::int64_t{0}));
      QCOMPARE(config.linearProjection, meta.value("use_linear_in_transformer", false));

      shapes.metadata.clear();
      const auto bare = UNetConfig::fromWeights(shapes, prefix);
      QCOMPARE(static_cast<int>(bare.family), static_cast<int>(config.family));
      QCOMPARE(bare.numHeadChannels, sdxl ? std::int64_t{64} : std::int64_t{-1});
      QCOMPARE(bare.numHeads, sdxl ? std::int64_t{-1} : std::int64_t{8});
    } catch (const std::exception& e) {
      QFAIL(e.what());
    }
  }

  void manifest_data() {
    QTest::addColumn<QString>("file");
    for (const auto& name : kManifests) QTest::newRow(name.c_str()) << QString::fromStdString(name);
  }

  // The full-size UNet built on meta has exactly the manifest's tensors, and the config read
  // from the manifest's shapes agrees with the reference config's `facts`.
  void manifest() {
    QFETCH(QString, file);
    const auto name = file.toStdString();
    try {
      const auto manifest = readJson(name);
      const auto shapes = manifestShapes(manifest, name);
      const auto& component = manifest.at("components").at("unet");
      const auto prefix = component.at("prefix").get<std::string>();
      const auto config = UNetConfig::fromWeights(shapes, prefix);
      UNetModel model(config, at::TensorOptions().dtype(at::kFloat).device(at::kMeta));

      std::map<std::string, std::vector<std::int64_t>> expected;
      for (const auto& [key, entry] : manifest.at("tensors").items()) {
        if (key.rfind(prefix, 0) == 0) expected[key.substr(prefix.size())] = entry.at("shape").get<std::vector<std::int64_t>>();
      }
      std::vector<std::string> problems;
      std::set<std::string> seen;
      for (const auto& [tensorName, tensor] : namedTensors(*model)) {
        seen.insert(tensorName);
        const auto it = expected.find(tensorName);
        if (it == expected.end()) {
          problems.push_back("unexpected " + tensorName);
        } else if (tensor.sizes().vec() != it->second) {
          problems.push_back("shape of " + tensorName + " " + shapeText(tensor.sizes().vec()) + " vs " +
                             shapeText(it->second));
        }
      }
      for (const auto& [tensorName, shape] : expected) {
        if (seen.count(tensorName) == 0) problems.push_back("missing " + tensorName);
      }
      std::string text;
      for (std::size_t i = 0; i < problems.size() && i < 10; ++i) text += problems[i] + "; ";
      QVERIFY2(problems.empty(), (std::to_string(problems.size()) + " differences: " + text).c_str());
      QCOMPARE(seen.size(), static_cast<std::size_t>(component.at("num_tensors").get<std::int64_t>()));
      QCOMPARE(parameterCount(*model), component.at("num_parameters").get<std::int64_t>());

      const auto& facts = manifest.at("facts");
      const auto& levels = facts.at("unet_levels");
      QCOMPARE(config.levels(), static_cast<int>(levels.size()));
      for (const auto& level : levels) {
        const int l = level.at("level").get<int>();
        const auto channels = config.levelChannels(l);
        QCOMPARE(channels, level.at("channels").get<std::int64_t>());
        QCOMPARE(config.hasAttention(l), level.at("has_attention").get<bool>());
        QCOMPARE(config.transformerDepth(l), level.at("transformer_depth").get<std::int64_t>());
        if (config.hasAttention(l)) {
          QCOMPARE(config.headCount(channels), level.at("heads").get<std::int64_t>());
          QCOMPARE(config.headDim(channels), level.at("head_dim").get<std::int64_t>());
        }
      }
      const auto& middle = facts.at("unet_middle_block");
      QCOMPARE(config.middleChannels(), middle.at("channels").get<std::int64_t>());
      QCOMPARE(config.middleDepth, middle.at("transformer_depth").get<std::int64_t>());
      QCOMPARE(config.headCount(config.middleChannels()), middle.at("heads").get<std::int64_t>());
      QCOMPARE(config.headDim(config.middleChannels()), middle.at("head_dim").get<std::int64_t>());
      QCOMPARE(config.contextDim, facts.at("context_dim").get<std::int64_t>());
      QCOMPARE(config.linearProjection, facts.at("use_linear_in_transformer").get<bool>());
      QCOMPARE(config.admInChannels, intOr(facts.at("adm_in_channels"), 0));
      QCOMPARE(config.numResBlocks, facts.at("num_res_blocks").get<std::int64_t>());
      QCOMPARE(config.timeEmbedDim, facts.at("time_embed_dim").get<std::int64_t>());

      // Per input ResBlock depth, as a detector reads it from the tensors.
      std::vector<std::int64_t> layoutDepths;
      for (const auto& block : manifest.at("facts_from_tensors").at("unet_input_block_layout")) {
        if (block.at("kind") == "resblock") layoutDepths.push_back(block.at("transformer_depth").get<std::int64_t>());
      }
      QCOMPARE(config.inputDepths, layoutDepths);
    } catch (const std::exception& e) {
      QFAIL(e.what());
    }
  }

  // The published architectures themselves (what the manifests describe).
  void knownArchitectures() {
    try {
      const auto sd15Json = readJson("manifest_sd15.json");
      const auto sd15 = UNetConfig::fromWeights(manifestShapes(sd15Json, "manifest_sd15.json"), "model.diffusion_model.");
      QCOMPARE(static_cast<int>(sd15.family), static_cast<int>(UNetFamily::Sd1));
      QCOMPARE(sd15.modelChannels, std::int64_t{320});
      QCOMPARE(sd15.contextDim, std::int64_t{768});
      QCOMPARE(sd15.admInChannels, std::int64_t{0});
      QCOMPARE(sd15.linearProjection, false);
      QCOMPARE(sd15.channelMult, (std::vector<std::int64_t>{1, 2, 4, 4}));
      QCOMPARE(sd15.headCount(320), std::int64_t{8});
      QCOMPARE(sd15.headDim(1280), std::int64_t{160});

      const auto sdxlJson = readJson("manifest_sdxl.json");
      const auto sdxl = UNetConfig::fromWeights(manifestShapes(sdxlJson, "manifest_sdxl.json"), "model.diffusion_model.");
      QCOMPARE(static_cast<int>(sdxl.family), static_cast<int>(UNetFamily::Sdxl));
      QCOMPARE(sdxl.modelChannels, std::int64_t{320});
      QCOMPARE(sdxl.contextDim, std::int64_t{2048});
      QCOMPARE(sdxl.admInChannels, std::int64_t{2816});
      QCOMPARE(sdxl.linearProjection, true);
      std::vector<std::int64_t> depths;
      for (int l = 0; l < sdxl.levels(); ++l) depths.push_back(sdxl.transformerDepth(l));
      QCOMPARE(depths, (std::vector<std::int64_t>{0, 2, 10}));
      QCOMPARE(sdxl.middleDepth, std::int64_t{10});
      QCOMPARE(sdxl.headDim(640), std::int64_t{64});
      QCOMPARE(sdxl.headCount(1280), std::int64_t{20});
    } catch (const std::exception& e) {
      QFAIL(e.what());
    }
  }

  void rejectsBadInputs() {
    UNetConfig config;  // SD 1.5 defaults, on meta: nothing runs past the checks
    UNetModel model(config, at::TensorOptions().device(at::kMeta));
    const auto options = at::TensorOptions().device(at::kMeta);
    const auto x = at::empty({1, 4, 64, 64}, options);
    const auto t = at::empty({1}, options);
    const auto context = at::empty({1, 77, 768}, options);
    auto expectInvalid = [&](const at::Tensor& xi, const at::Tensor& ci, const at::Tensor& yi) {
      try {
        model->forward(xi, t, ci, yi);
        QFAIL("no error");
      } catch (const CelerityError& e) {
        QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::InvalidArgument));
      }
    };
    expectInvalid(at::empty({1, 4, 60, 64}, options), context, {});     // not a multiple of 8
    expectInvalid(at::empty({1, 3, 64, 64}, options), context, {});     // wrong channels
    expectInvalid(x, at::empty({1, 77, 1024}, options), {});            // wrong context width
    expectInvalid(x, context, at::empty({1, 2816}, options));           // y without label_emb

    ShapeMap empty;
    empty.source = "empty";
    QVERIFY_THROWS_EXCEPTION(CelerityError, UNetConfig::fromWeights(empty, "model.diffusion_model."));
  }

  void cleanupTestCase() {
    for (const auto& [file, rel] : worstRelative_) qInfo("worst rel %s: %.3g", file.c_str(), rel);
  }
};

QTEST_GUILESS_MAIN(TestUNetGolden)
#include "tst_unet_golden.moc"
