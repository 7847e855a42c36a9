// The two text encoders against the reference vectors: tiny CLIP-L (Hugging Face layout)
// and tiny OpenCLIP-G (open_clip layout) on their token rows, the CLIP-L inside the
// single-file sd15_tiny checkpoint on the e2e prompts, and the module trees of the full-size
// CLIP-L / OpenCLIP bigG against the checkpoint manifests (built on the meta device).
#include <map>
#include <string>
#include <vector>

#include <QTest>
#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "common/GoldenSupport.h"
#include "common/ManifestSupport.h"
#include "io/SafetensorsFile.h"
#include "io/ShapeMap.h"
#include "models/clip/ClipTextModel.h"
#include "models/clip/OpenClipTextModel.h"
#include "models/common/WeightLoader.h"

using celerity::CelerityError;
using celerity::ClipTextConfig;
using celerity::ClipTextModel;
using celerity::OpenClipTextConfig;
using celerity::OpenClipTextModel;
using celerity::SafetensorsFile;
using celerity::ShapeMap;

namespace {

const std::string kHfTokenKey = "embeddings.token_embedding.weight";
const std::string kOpenClipPositionKey = "positional_embedding";

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string requireMetadata(const SafetensorsFile& file, const std::string& key) {
  const auto value = file.metadataValue(key);
  if (!value) {
    throw CelerityError(celerity::ErrorCode::MalformedFile, "golden metadata lacks '" + key + "'",
                        file.path().string());
  }
  return *value;
}

// Prefixes of every key ending in `suffix` (a text encoder per prefix).
std::vector<std::string> prefixesOf(const SafetensorsFile& file, const std::string& suffix) {
  std::vector<std::string> prefixes;
  for (const auto& info : file.tensors()) {
    if (endsWith(info.name, suffix)) prefixes.push_back(info.name.substr(0, info.name.size() - suffix.size()));
  }
  return prefixes;
}

// HF layout keys end in `embeddings.token_embedding.weight`; open_clip keys have a bare
// `positional_embedding`. Anything else, or more than one encoder, is an error.
struct EncoderLocation {
  bool openClip = false;
  std::string prefix;
};

EncoderLocation locateEncoder(const SafetensorsFile& weights) {
  const auto hf = prefixesOf(weights, kHfTokenKey);
  const auto openClip = prefixesOf(weights, kOpenClipPositionKey);
  if (hf.size() + openClip.size() != 1) {
    throw CelerityError(celerity::ErrorCode::UnknownModel,
                        "expected exactly one text encoder, found " +
                            std::to_string(hf.size() + openClip.size()),
                        weights.path().string());
  }
  return hf.empty() ? EncoderLocation{true, openClip.front()} : EncoderLocation{false, hf.front()};
}

ClipTextModel loadClip(const SafetensorsFile& weights, const std::string& prefix) {
  ClipTextModel model(ClipTextConfig::fromWeights(ShapeMap::of(weights), prefix));
  celerity::loadWeights(*model, weights, prefix);
  return model;
}

OpenClipTextModel loadOpenClip(const SafetensorsFile& weights, const std::string& prefix) {
  OpenClipTextModel model(OpenClipTextConfig::fromWeights(ShapeMap::of(weights), prefix));
  celerity::loadWeights(*model, weights, prefix);
  return model;
}

// Hidden states of batch row 0, stacked: [layers + 1, N, W].
at::Tensor firstRowStates(const std::vector<at::Tensor>& states) {
  std::vector<at::Tensor> rows;
  for (const auto& state : states) rows.push_back(state[0]);
  return at::stack(rows);
}

std::string shapeText(at::IntArrayRef shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

struct Check {
  std::string label;
  at::Tensor out, ref;
};

// Logs every comparison's relative error first, so that one failure still shows them all.
void logChecks(const std::vector<Check>& checks) {
  for (const auto& check : checks) {
    const auto cmp = celerity::test::compareTensors(check.out, check.ref);
    const double rel = cmp.maxAbsRef > 0 ? cmp.maxAbsDiff / cmp.maxAbsRef : cmp.maxAbsDiff;
    qInfo("%s: rel %.3g (%s)", check.label.c_str(), rel, cmp.message.c_str());
  }
}

// The module's tensors by checkpoint key (`prefix` + module name).
std::map<std::string, std::vector<std::int64_t>> moduleTensors(const torch::nn::Module& module,
                                                               const std::string& prefix) {
  std::map<std::string, std::vector<std::int64_t>> result;
  for (const auto& [name, tensor] : celerity::namedTensors(module)) {
    result[prefix + name] = tensor.sizes().vec();
  }
  return result;
}

// Names present on one side only, or with different shapes; empty when they agree.
std::string treeDifferences(const std::map<std::string, std::vector<std::int64_t>>& module,
                            const std::map<std::string, std::vector<std::int64_t>>& manifest) {
  std::string text;
  int shown = 0;
  auto note = [&](const std::string& line) {
    if (++shown <= 10) text += "\n  " + line;
  };
  for (const auto& [name, shape] : manifest) {
    const auto it = module.find(name);
    if (it == module.end()) note("missing in module: " + name);
    else if (it->second != shape) note(name + " " + shapeText(it->second) + " vs manifest " + shapeText(shape));
  }
  for (const auto& [name, shape] : module) {
    if (manifest.count(name) == 0) note("not in manifest: " + name);
  }
  if (shown > 10) text += "\n  … " + std::to_string(shown - 10) + " more";
  return text;
}

}  // namespace

class TestClipGolden : public QObject {
  Q_OBJECT

 private slots:
  // Each `<encoder>.expected` file: tokens in, every stored output compared.
  void tinyEncoders_data() {
    QTest::addColumn<QString>("expectedFile");
    QTest::newRow("clip_l_tiny") << QString("clip_l_tiny.expected.safetensors");
    QTest::newRow("clip_g_tiny") << QString("clip_g_tiny.expected.safetensors");
  }

  void tinyEncoders() {
    QFETCH(QString, expectedFile);
    const auto file = celerity::test::openGolden(expectedFile.toStdString());
    const auto weights = celerity::test::openGolden(requireMetadata(*file, "weights"));
    const auto location = locateEncoder(*weights);
    const auto tokens = celerity::test::caseTensor(*file, "", "tokens");

    std::map<std::string, at::Tensor> outputs;
    if (location.openClip) {
      auto model = loadOpenClip(*weights, location.prefix);
      qInfo("OpenCLIP under '%s': width %lld, %lld blocks, %lld heads, MLP %lld, projection %lld",
            location.prefix.c_str(), static_cast<long long>(model->config().width),
            static_cast<long long>(model->config().layers), static_cast<long long>(model->config().heads),
            static_cast<long long>(model->config().mlpWidth),
            static_cast<long long>(model->config().projectionDim));
      const auto out = model->forward(tokens);
      outputs = {{"last_hidden", out.lastHidden},
                 {"penultimate", out.penultimate},
                 {"penultimate_ln", model->lnFinal(out.penultimate)},
                 {"pooled", out.pooled},
                 {"pooled_unprojected", out.pooledUnprojected},
                 {"hidden_states_seq0", firstRowStates(out.hiddenStates)},
                 {"eot_index", out.poolingIndex}};
    } else {
      auto model = loadClip(*weights, location.prefix);
      qInfo("CLIP under '%s': width %lld, %lld layers, %lld heads, MLP %lld", location.prefix.c_str(),
            static_cast<long long>(model->config().width), static_cast<long long>(model->config().layers),
            static_cast<long long>(model->config().heads),
            static_cast<long long>(model->config().mlpWidth));
      const auto out = model->forward(tokens);
      outputs = {{"last_hidden", out.lastHidden},
                 {"penultimate", out.penultimate()},
                 {"penultimate_ln", model->hiddenForClipSkip(out, 2)},
                 {"pooled", out.pooled},
                 {"hidden_states_seq0", firstRowStates(out.hiddenStates)},
                 {"eot_index", out.poolingIndex}};
    }

    std::vector<Check> checks;
    for (const auto& info : file->tensors()) {
      if (info.name == "tokens") continue;
      const auto it = outputs.find(info.name);
      if (it == outputs.end()) {
        qWarning("%s: no encoder output for stored tensor '%s'", expectedFile.toStdString().c_str(),
                 info.name.c_str());
        continue;
      }
      checks.push_back({info.name, it->second, celerity::test::caseTensor(*file, "", info.name)});
    }
    QVERIFY2(!checks.empty(), "expected file holds no known encoder output");
    QVERIFY2(file->contains("last_hidden"), "expected file lacks last_hidden");
    logChecks(checks);
    for (const auto& check : checks) CELERITY_COMPARE_TENSORS(check.label, check.out, check.ref);
  }

  // The CLIP-L inside the single-file SD 1.x checkpoint: every `clip.<output>_<tag>` of the
  // e2e file, run on `tokens_<tag>` (heads from the checkpoint's `clip_config`).
  void checkpointEncoder() {
    const std::string name = "e2e_sd15_tiny.expected.safetensors";
    const auto file = celerity::test::openGolden(name);
    const auto weights = celerity::test::openGolden(requireMetadata(*file, "weights"));
    const auto location = locateEncoder(*weights);
    QVERIFY2(!location.openClip, "expected a CLIP-L text encoder in the SD 1.x checkpoint");
    auto model = loadClip(*weights, location.prefix);

    std::map<std::string, celerity::ClipTextOutput> runs;  // by tag
    auto run = [&](const std::string& tag) -> const celerity::ClipTextOutput& {
      auto it = runs.find(tag);
      if (it != runs.end()) return it->second;
      const std::string key = file->contains("clip.tokens_" + tag) ? "clip.tokens_" + tag : "tokens_" + tag;
      return runs.emplace(tag, model->forward(celerity::test::caseTensor(*file, "", key))).first->second;
    };

    std::vector<Check> checks;
    const std::string prefix = "clip.";
    for (const auto& key : file->namesWithPrefix(prefix)) {
      const auto rest = key.substr(prefix.size());
      const auto split = rest.rfind('_');
      QVERIFY2(split != std::string::npos, ("cannot read output and prompt from " + key).c_str());
      const auto what = rest.substr(0, split);
      const auto tag = rest.substr(split + 1);
      if (what == "tokens") continue;
      const auto& out = run(tag);
      at::Tensor value;
      if (what == "last_hidden") value = out.lastHidden;
      else if (what == "penultimate_raw") value = out.penultimate();
      else if (what == "penultimate_ln") value = model->hiddenForClipSkip(out, 2);
      else if (what == "pooled") value = out.pooled;
      QVERIFY2(value.defined(), ("unknown encoder output in " + key).c_str());
      checks.push_back({key, value, celerity::test::caseTensor(*file, "", key)});
    }
    QVERIFY2(!checks.empty(), (name + " holds no clip.* outputs").c_str());
    logChecks(checks);
    for (const auto& check : checks) CELERITY_COMPARE_TENSORS(check.label, check.out, check.ref);
  }

  // Full-size module trees on meta: exactly the manifest's tensors under the prefix, and the
  // hyper-parameters the manifest states (heads from width / 64: no metadata here).
  void manifest_data() {
    QTest::addColumn<QString>("manifest");
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("configKey");
    QTest::addColumn<bool>("openClip");
    QTest::newRow("sd15 clip-l") << QString("manifest_sd15.json")
                                 << QString("cond_stage_model.transformer.text_model.")
                                 << QString("cond_stage_model.transformer") << false;
    QTest::newRow("sdxl clip-l") << QString("manifest_sdxl.json")
                                 << QString("conditioner.embedders.0.transformer.text_model.")
                                 << QString("conditioner.embedders.0.transformer") << false;
    QTest::newRow("sdxl bigG") << QString("manifest_sdxl.json")
                               << QString("conditioner.embedders.1.model.")
                               << QString("conditioner.embedders.1.model") << true;
  }

  void manifest() {
    QFETCH(QString, manifest);
    QFETCH(QString, prefix);
    QFETCH(QString, configKey);
    QFETCH(bool, openClip);
    const auto source = celerity::test::loadManifest(manifest.toStdString());
    const auto& shapes = source.shapes;
    const auto& stated = source.json.at("config").at(configKey.toStdString());
    // The loader ignores these keys (position_ids, logit_scale): the module has no such tensor.
    const auto expected = celerity::test::manifestTensors(source, prefix.toStdString(),
                                                          celerity::LoadOptions().ignoredSuffixes);
    QVERIFY2(!expected.empty(), "manifest has no tensors under the prefix");
    const auto meta = at::TensorOptions().device(at::kMeta).dtype(at::kFloat);

    std::map<std::string, std::vector<std::int64_t>> built;
    if (openClip) {
      const auto config = OpenClipTextConfig::fromWeights(shapes, prefix.toStdString());
      const auto& text = stated.at("open_clip_model_config").at("text_cfg");
      QCOMPARE(config.heads, text.at("heads").get<std::int64_t>());
      QCOMPARE(config.width, text.at("width").get<std::int64_t>());
      QCOMPARE(config.layers, text.at("layers").get<std::int64_t>());
      QCOMPARE(config.context, text.at("context_length").get<std::int64_t>());
      QCOMPARE(config.vocab, text.at("vocab_size").get<std::int64_t>());
      QCOMPARE(config.mlpWidth, static_cast<std::int64_t>(stated.at("mlp_ratio").get<double>() * config.width));
      QCOMPARE(config.projectionDim,
               stated.at("open_clip_model_config").at("embed_dim").get<std::int64_t>());
      QVERIFY(config.activation == celerity::ClipActivation::Gelu);
      built = moduleTensors(*OpenClipTextModel(config, meta), prefix.toStdString());
    } else {
      const auto config = ClipTextConfig::fromWeights(shapes, prefix.toStdString());
      QCOMPARE(config.heads, stated.at("num_attention_heads").get<std::int64_t>());
      QCOMPARE(config.width, stated.at("hidden_size").get<std::int64_t>());
      QCOMPARE(config.layers, stated.at("num_hidden_layers").get<std::int64_t>());
      QCOMPARE(config.mlpWidth, stated.at("intermediate_size").get<std::int64_t>());
      QCOMPARE(config.activation == celerity::ClipActivation::QuickGelu,
               stated.at("hidden_act").get<std::string>() == "quick_gelu");
      built = moduleTensors(*ClipTextModel(config, meta), prefix.toStdString());
    }
    const auto differences = treeDifferences(built, expected);
    QVERIFY2(differences.empty(), ("module tree differs from the manifest:" + differences).c_str());
    qInfo("%s: %zu tensors match", prefix.toStdString().c_str(), built.size());
  }

  // Clear errors on input the encoders cannot take.
  void rejectsBadInput() {
    const auto weights = celerity::test::openGolden("clip_l_tiny.safetensors");
    const auto location = locateEncoder(*weights);
    auto model = loadClip(*weights, location.prefix);
    const auto context = model->config().context;
    try {
      model->forward(at::zeros({1, context + 1}, at::kLong));
      QFAIL("no error for too many tokens");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(celerity::ErrorCode::InvalidArgument));
    }
    try {
      model->hiddenForClipSkip(model->forward(at::zeros({1, 4}, at::kLong)),
                               static_cast<int>(model->config().layers) + 1);
      QFAIL("no error for a CLIP skip beyond the depth");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(celerity::ErrorCode::InvalidArgument));
    }
    // A heads count that does not divide the width is refused, naming the metadata key.
    auto shapes = ShapeMap::of(*weights);
    shapes.metadata["num_attention_heads"] = "5";
    try {
      ClipTextConfig::fromWeights(shapes, location.prefix);
      QFAIL("no error for heads that do not divide the width");
    } catch (const CelerityError& e) {
      QVERIFY2(std::string(e.what()).find("num_attention_heads") != std::string::npos, e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestClipGolden)
#include "tst_clip_golden.moc"
