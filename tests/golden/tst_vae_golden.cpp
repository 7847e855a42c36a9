// The VAE (CompVis AutoencoderKL) against the reference vectors: decode and encode cases of
// vae_tiny.expected, the final decode of the e2e txt2img run, and the module tree of the
// full-size SD 1.5 / SDXL VAEs against the checkpoint manifests (built on the meta device).
#include <QTest>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "celerity/Error.h"
#include "common/GoldenSupport.h"
#include "io/SafetensorsFile.h"
#include "io/ShapeMap.h"
#include "models/common/WeightLoader.h"
#include "models/vae/Vae.h"

using celerity::CelerityError;
using celerity::SafetensorsFile;
using celerity::ShapeMap;
using celerity::Vae;
using celerity::VaeConfig;

namespace {

std::string requireMetadata(const SafetensorsFile& file, const std::string& key) {
  const auto value = file.metadataValue(key);
  if (!value) {
    throw CelerityError(celerity::ErrorCode::MalformedFile, "golden metadata lacks '" + key + "'",
                        file.path().string());
  }
  return *value;
}

bool hasTensor(const SafetensorsFile& file, const std::string& name) {
  return file.find(name) != nullptr;
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

// Builds and loads the VAE under `prefix` of a golden weights file.
Vae loadVae(const SafetensorsFile& weights, const std::string& prefix) {
  const auto config = VaeConfig::fromWeights(ShapeMap::of(weights), prefix);
  Vae vae(config);
  celerity::loadWeights(*vae, weights, prefix);
  return vae;
}

// Levels whose resolution is in ldm's `attn_resolutions` (level L runs at resolution / 2^L).
std::vector<std::int64_t> attentionLevels(const nlohmann::json& ddconfig, std::size_t levels) {
  std::vector<std::int64_t> result;
  const auto resolution = ddconfig.at("resolution").get<std::int64_t>();
  const auto attn = ddconfig.value("attn_resolutions", std::vector<std::int64_t>{});
  for (std::size_t level = 0; level < levels; ++level) {
    if (std::count(attn.begin(), attn.end(), resolution >> level) != 0) {
      result.push_back(static_cast<std::int64_t>(level));
    }
  }
  return result;
}

// The config read from shapes must equal the reference ddconfig.
void compareConfig(const VaeConfig& config, const nlohmann::json& ddconfig, std::int64_t embedDim) {
  QCOMPARE(config.ch, ddconfig.at("ch").get<std::int64_t>());
  QCOMPARE(config.chMult, ddconfig.at("ch_mult").get<std::vector<std::int64_t>>());
  QCOMPARE(config.numResBlocks, ddconfig.at("num_res_blocks").get<std::int64_t>());
  QCOMPARE(config.zChannels, ddconfig.at("z_channels").get<std::int64_t>());
  QCOMPARE(config.inChannels, ddconfig.at("in_channels").get<std::int64_t>());
  QCOMPARE(config.outChannels, ddconfig.at("out_ch").get<std::int64_t>());
  QCOMPARE(config.embedDim, embedDim);
  QCOMPARE(config.attentionLevels, attentionLevels(ddconfig, config.chMult.size()));
}

}  // namespace

class TestVaeGolden : public QObject {
  Q_OBJECT

 private:
  // Compares and reports the relative error (max|diff| / max|ref|) of one tensor.
  static void check(const std::string& label, const at::Tensor& out, const at::Tensor& ref) {
    const auto cmp = celerity::test::compareTensors(out, ref);
    qInfo("%s: rel %.3g (%s)", label.c_str(),
          cmp.maxAbsRef > 0 ? cmp.maxAbsDiff / cmp.maxAbsRef : cmp.maxAbsDiff, cmp.message.c_str());
    QVERIFY2(cmp.ok, (label + ": " + cmp.message).c_str());
  }

  // A golden that cannot be read fails the test with the error's text.
  template <typename Body>
  static void guarded(Body&& body) {
    try {
      body();
    } catch (const std::exception& e) {
      QFAIL(e.what());
    }
  }

 private slots:
  // Every `decode.*` / `encode.*`-style case: a case with `z` decodes, a case with `x`
  // encodes; anything else is a case this test does not know, which fails.
  void tinyCases_data() {
    guarded([&] {
      QTest::addColumn<QString>("caseName");
      const auto file = celerity::test::openGolden("vae_tiny.expected.safetensors");
      const auto cases = celerity::test::caseNames(*file);
      QVERIFY2(!cases.empty(), "vae_tiny.expected.safetensors has no cases");
      bool decodes = false, encodes = false;
      for (const auto& name : cases) {
        decodes = decodes || hasTensor(*file, name + ".z");
        encodes = encodes || hasTensor(*file, name + ".x");
        QTest::newRow(name.c_str()) << QString::fromStdString(name);
      }
      QVERIFY2(decodes || encodes,
               "vae_tiny.expected.safetensors has neither decode nor encode cases");
    });
  }

  void tinyCases() {
    guarded([&] {
      QFETCH(QString, caseName);
      const std::string name = caseName.toStdString();
      const auto file = celerity::test::openGolden("vae_tiny.expected.safetensors");
      const auto weights = celerity::test::openGolden(requireMetadata(*file, "weights"));
      const auto prefix = requireMetadata(*file, "weights_prefix");
      auto vae = loadVae(*weights, prefix);

      if (const auto ddconfig = file->metadataValue("vae_ddconfig")) {
        const auto embedDim = file->metadataValue("embed_dim");
        QVERIFY2(embedDim.has_value(), "vae_ddconfig without embed_dim");
        compareConfig(vae->config(), nlohmann::json::parse(*ddconfig), std::stoll(*embedDim));
        if (QTest::currentTestFailed()) return;
      }

      using celerity::test::caseTensor;
      int checked = 0;
      if (hasTensor(*file, name + ".z")) {
        const auto z = caseTensor(*file, name, "z");
        const auto start = std::chrono::steady_clock::now();
        const auto image = vae->decode(z);
        const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
        qInfo("%s: decode %s -> %s in %.3f s", name.c_str(), shapeText(z.sizes().vec()).c_str(),
              shapeText(image.sizes().vec()).c_str(), seconds.count());
        check(name + ".image", image, caseTensor(*file, name, "image"));
        ++checked;
      }
      if (hasTensor(*file, name + ".x")) {
        const auto x = caseTensor(*file, name, "x");
        const auto moments = vae->encodeMoments(x);
        const auto split = celerity::VaeImpl::splitMoments(moments);
        const std::map<std::string, at::Tensor> outputs = {
            {"moments", moments}, {"mean", split.mean}, {"logvar", split.logvar}};
        int encodeOutputs = 0;
        for (const auto& [key, out] : outputs) {
          if (!hasTensor(*file, name + "." + key)) continue;
          check(name + "." + key, out, caseTensor(*file, name, key));
          ++encodeOutputs;
        }
        QVERIFY2(encodeOutputs > 0, (name + ": encode case without moments/mean/logvar").c_str());
        if (hasTensor(*file, name + ".mean")) {
          check(name + ".mean (encodeMean)", vae->encodeMean(x), caseTensor(*file, name, "mean"));
        }
        ++checked;
      }
      QVERIFY2(checked > 0, (name + ": case has neither z (decode) nor x (encode)").c_str());
    });
  }

  // The last latent of the txt2img run decodes to the stored image, with the scale factor
  // from the checkpoint's metadata.
  void endToEndImage() {
    guarded([&] {
      const auto file = celerity::test::openGolden("e2e_sd15_tiny.expected.safetensors");
      const auto steps = requireMetadata(*file, "steps");
      const auto weights = celerity::test::openGolden(requireMetadata(*file, "weights"));
      const auto prefix = file->metadataValue("weights_prefix").value_or("first_stage_model.");
      const auto scale = requireMetadata(*weights, "scale_factor");
      auto vae = loadVae(*weights, prefix);
      QCOMPARE(vae->config().scaleFactor, std::stod(scale));

      const auto latent = celerity::test::caseTensor(*file, "latent", steps);
      const auto image = vae->latentToImage(latent);
      check("image", image, celerity::test::caseTensor(*file, "", "image"));
      if (hasTensor(*file, "image_01")) {
        check("image_01", at::clamp((image + 1) / 2, 0, 1),
              celerity::test::caseTensor(*file, "", "image_01"));
      }
    });
  }

  // Full-size module trees on meta: exactly the manifest's `first_stage_model.*` tensors.
  void manifest_data() {
    QTest::addColumn<QString>("manifest");
    QTest::addColumn<double>("familyScale");
    QTest::newRow("sd15") << QString("manifest_sd15.json") << VaeConfig::kScaleFactorSd1;
    QTest::newRow("sdxl") << QString("manifest_sdxl.json") << VaeConfig::kScaleFactorSdxl;
  }

  void manifest() {
    guarded([&] {
      QFETCH(QString, manifest);
      QFETCH(double, familyScale);
      const std::string prefix = "first_stage_model.";
      const auto path = celerity::test::goldenPath(manifest.toStdString());
      std::ifstream in(path);
      QVERIFY2(in.good(), ("cannot read " + path.string()).c_str());
      const auto json = nlohmann::json::parse(in);

      ShapeMap shapes;
      shapes.source = manifest.toStdString();
      std::map<std::string, std::vector<std::int64_t>> expected;
      for (const auto& [name, entry] : json.at("tensors").items()) {
        auto shape = entry.at("shape").get<std::vector<std::int64_t>>();
        shapes.add(name, shape, entry.at("dtype").get<std::string>());
        if (name.compare(0, prefix.size(), prefix) == 0)
          expected[name.substr(prefix.size())] = shape;
      }
      QVERIFY2(!expected.empty(), "manifest has no first_stage_model tensors");

      const auto config = VaeConfig::fromWeights(shapes, prefix);
      QVERIFY(config.hasEncoder && config.hasDecoder);
      const auto& params = json.at("config").at("model").at("params");
      const auto& firstStage = params.at("first_stage_config").at("params");
      compareConfig(config, firstStage.at("ddconfig"),
                    firstStage.at("embed_dim").get<std::int64_t>());
      if (QTest::currentTestFailed()) return;
      // The family constant agrees with the published config (no weights carry it).
      QCOMPARE(familyScale, params.at("scale_factor").get<double>());

      Vae vae(config, at::TensorOptions().device(at::kMeta));
      std::map<std::string, std::vector<std::int64_t>> built;
      for (const auto& [name, tensor] : celerity::namedTensors(*vae)) {
        QVERIFY2(built.count(name) == 0, ("duplicate tensor " + name).c_str());
        built[name] = tensor.sizes().vec();
      }
      std::string differences;
      for (const auto& [name, shape] : expected) {
        const auto it = built.find(name);
        if (it == built.end()) {
          differences += "\n  missing " + name;
        } else if (it->second != shape) {
          differences +=
              "\n  " + name + " " + shapeText(it->second) + " vs manifest " + shapeText(shape);
        }
      }
      for (const auto& [name, shape] : built) {
        if (expected.count(name) == 0) differences += "\n  unexpected " + name;
      }
      QVERIFY2(differences.empty(),
               ("module tree differs from " + manifest.toStdString() + ":" + differences).c_str());
      const auto component = json.at("components").at("vae");
      QCOMPARE(static_cast<std::int64_t>(built.size()),
               component.at("num_tensors").get<std::int64_t>());
      QCOMPARE(celerity::parameterCount(*vae), component.at("num_parameters").get<std::int64_t>());
      qInfo("%s: %zu VAE tensors, %lld parameters", manifest.toLocal8Bit().constData(),
            built.size(), static_cast<long long>(celerity::parameterCount(*vae)));
    });
  }

  // Large latents run the mid attention in query chunks; the result must equal ldm's
  // one-shot formula. 80×80 positions exceed one chunk (no golden is that large).
  void attentionChunks() {
    at::manual_seed(0);
    celerity::VaeAttentionBlock block(32, at::TensorOptions());
    {
      at::NoGradGuard noGrad;
      for (auto& parameter : block->parameters()) {
        parameter.copy_(at::randn(parameter.sizes()) * (parameter.dim() == 1 ? 0.1 : 0.3));
      }
    }
    const auto x = at::randn({1, 32, 80, 80});
    c10::InferenceMode guard;
    const auto out = block->forward(x);

    const auto h = block->norm(x);
    const auto q = block->q(h).flatten(2).transpose(1, 2);  // [B, HW, C]
    const auto k = block->k(h).flatten(2);                  // [B, C, HW]
    const auto v = block->v(h).flatten(2);
    const auto weights = at::softmax(at::bmm(q, k) / std::sqrt(32.0), 2);
    const auto attended = at::bmm(v, weights.transpose(1, 2)).reshape(x.sizes());
    check("chunked attention", out, x + block->projOut(attended));
  }

  // Decoder-only and encoder-only weights give half a VAE; using the missing half, or
  // shapes with no VAE at all, is a clear error.
  void partialModels() {
    guarded([&] {
      const auto file = celerity::test::openGolden("vae_tiny.expected.safetensors");
      const auto weights = celerity::test::openGolden(requireMetadata(*file, "weights"));
      const auto prefix = requireMetadata(*file, "weights_prefix");
      const auto full = ShapeMap::of(*weights);
      const auto fullConfig = VaeConfig::fromWeights(full, prefix);

      for (const std::string& half : {std::string("decoder"), std::string("encoder")}) {
        const std::string dropped = half == "decoder" ? "encoder." : "decoder.";
        const std::string droppedConv = half == "decoder" ? "quant_conv." : "post_quant_conv.";
        ShapeMap shapes;
        std::set<std::string> expected;
        for (const auto& [name, entry] : full.entries()) {
          if (name.compare(0, prefix.size(), prefix) != 0) continue;
          const auto rest = name.substr(prefix.size());
          if (rest.compare(0, dropped.size(), dropped) == 0 ||
              rest.compare(0, droppedConv.size(), droppedConv) == 0) {
            continue;
          }
          shapes.add(name, entry.shape, entry.dtype);
          expected.insert(rest);
        }
        const auto config = VaeConfig::fromWeights(shapes, prefix);
        QCOMPARE(config.hasDecoder, half == "decoder");
        QCOMPARE(config.hasEncoder, half == "encoder");
        QCOMPARE(config.chMult, fullConfig.chMult);
        QCOMPARE(config.numResBlocks, fullConfig.numResBlocks);
        QCOMPARE(config.embedDim, fullConfig.embedDim);
        Vae vae(config, at::TensorOptions().device(at::kMeta));
        std::set<std::string> built;
        for (const auto& [name, tensor] : celerity::namedTensors(*vae)) built.insert(name);
        QVERIFY2(built == expected, (half + "-only module tree differs from the weights").c_str());
        const auto probe = at::zeros({1, 4, 2, 2});
        if (half == "decoder") {
          QVERIFY_THROWS_EXCEPTION(CelerityError, vae->encodeMoments(at::zeros({1, 3, 16, 16})));
        } else {
          QVERIFY_THROWS_EXCEPTION(CelerityError, vae->decode(probe));
        }
      }
      QVERIFY_THROWS_EXCEPTION(CelerityError, VaeConfig::fromWeights(full, "no_such_prefix."));
    });
  }
};

QTEST_GUILESS_MAIN(TestVaeGolden)
#include "tst_vae_golden.moc"
