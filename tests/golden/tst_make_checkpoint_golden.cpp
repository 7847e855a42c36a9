// Checkpoints without downloads: the full-size plans equal the manifests of the real SD 1.5 and
// SDXL base files key for key, shape for shape; the tiny plans equal the tiny goldens' layouts;
// written tiny checkpoints are detected, described and loaded, are deterministic per seed,
// honour the dtype, and hold values with the golden generator's scaling.
#include <fstream>
#include <iterator>
#include <set>

#include <QTemporaryDir>
#include <QTest>

#include <ATen/ATen.h>

#include "celerity/Error.h"
#include "checkpoint/CheckpointDetector.h"
#include "checkpoint/CheckpointFactory.h"
#include "common/GoldenSupport.h"
#include "common/ManifestSupport.h"
#include "io/SafetensorsFile.h"
#include "io/ShapeMap.h"
#include "pipeline/LoadedModel.h"
#include "sampling/DiscreteSchedule.h"

using namespace celerity;

namespace {

using ShapeTable = std::map<std::string, std::vector<std::int64_t>>;

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

// Names present on one side only, or with different shapes (at most 10 lines); empty when equal.
std::string differences(const ShapeTable& ours, const ShapeTable& reference) {
  std::vector<std::string> lines;
  for (const auto& [name, shape] : reference) {
    const auto it = ours.find(name);
    if (it == ours.end()) lines.push_back("missing: " + name);
    else if (it->second != shape) lines.push_back(name + " " + shapeText(it->second) + " vs " + shapeText(shape));
  }
  for (const auto& [name, shape] : ours) {
    if (reference.count(name) == 0) lines.push_back("not in the reference: " + name);
  }
  std::string text;
  for (std::size_t i = 0; i < lines.size() && i < 10; ++i) text += "\n  " + lines[i];
  if (lines.size() > 10) text += "\n  … " + std::to_string(lines.size() - 10) + " more";
  return text;
}

// The plan's tensors under `prefix`, keyed by the rest of the name.
ShapeTable planUnder(const std::vector<TensorPlan>& plan, const std::string& prefix) {
  ShapeTable table;
  for (const auto& entry : plan) {
    if (entry.name.rfind(prefix, 0) == 0) table[entry.name.substr(prefix.size())] = entry.shape;
  }
  return table;
}

ShapeTable fileUnder(const SafetensorsFile& file, const std::string& prefix) {
  ShapeTable table;
  for (const auto& info : file.tensors()) {
    if (info.name.rfind(prefix, 0) == 0) table[info.name.substr(prefix.size())] = info.shape;
  }
  return table;
}

// The prefix of a file's text encoder: what comes before its token embedding's name.
std::string prefixBefore(const SafetensorsFile& file, const std::string& suffix) {
  for (const auto& info : file.tensors()) {
    if (info.name.size() > suffix.size() &&
        info.name.compare(info.name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return info.name.substr(0, info.name.size() - suffix.size());
    }
  }
  return {};
}

std::string readBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::set<int> componentKinds(const CheckpointInfo& info) {
  std::set<int> kinds;
  for (const auto& c : info.components) kinds.insert(static_cast<int>(c.kind));
  return kinds;
}

}  // namespace

class TestMakeCheckpointGolden : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;

  std::filesystem::path pathOf(const std::string& name) const {
    return dir_.filePath(QString::fromStdString(name)).toStdString();
  }

  static CheckpointSpec tinySpec(ModelFamily family, at::ScalarType dtype, std::uint64_t seed) {
    CheckpointSpec spec;
    spec.family = family;
    spec.full = false;
    spec.dtype = dtype;
    spec.seed = seed;
    return spec;
  }

 private slots:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void fullPlanMatchesManifest_data() {
    QTest::addColumn<QString>("manifest");
    QTest::addColumn<int>("family");
    QTest::newRow("sd15") << "manifest_sd15.json" << static_cast<int>(ModelFamily::SD1);
    QTest::newRow("sdxl") << "manifest_sdxl.json" << static_cast<int>(ModelFamily::SDXL);
  }

  // Key for key, shape for shape and (in fp32) dtype for dtype, every manifest tensor, the
  // optional buffers included; only the EMA keys (`optional_tensors`) are not made.
  void fullPlanMatchesManifest() {
    QFETCH(QString, manifest);
    QFETCH(int, family);
    const auto reference = test::loadManifest(manifest.toStdString());
    CheckpointSpec spec;
    spec.family = static_cast<ModelFamily>(family);
    spec.dtype = at::kFloat;
    const auto plan = plannedTensors(spec);

    ShapeTable ours;
    std::map<std::string, const TensorPlan*> byName;
    for (const auto& entry : plan) {
      QVERIFY2(byName.emplace(entry.name, &entry).second, ("planned twice: " + entry.name).c_str());
      ours[entry.name] = entry.shape;
    }
    ShapeTable expected;
    for (const auto& [name, entry] : reference.shapes.entries()) expected[name] = entry.shape;
    const auto diff = differences(ours, expected);
    QVERIFY2(diff.empty(), ("plan differs from the manifest:" + diff).c_str());

    std::int64_t manifestParameters = 0;
    std::int64_t ourParameters = 0;
    for (const auto& [name, entry] : reference.json.at("tensors").items()) {
      const auto& planned = *byName.at(name);
      QCOMPARE(std::string(dtypeName(planned.dtype)), entry.at("dtype").get<std::string>());
      const bool buffer = entry.at("kind").get<std::string>() == "buffer";
      QVERIFY2(planned.buffer == buffer, name.c_str());
      if (!buffer) manifestParameters += planned.numel();
      // Norm and embedding weights are told apart as the reference's module classes say.
      const auto module = entry.at("module").get<std::string>();
      const bool isWeight = name.size() > 7 && name.compare(name.size() - 7, 7, ".weight") == 0;
      if ((module == "GroupNorm" || module == "LayerNorm") && isWeight) {
        QVERIFY2(planned.init == WeightInit::NormWeight, name.c_str());
      } else if (module == "Embedding") {
        QVERIFY2(planned.init == WeightInit::Embedding, name.c_str());
      }
    }
    for (const auto& entry : plan) ourParameters += entry.buffer ? 0 : entry.numel();
    QCOMPARE(ourParameters, manifestParameters);
    std::int64_t componentParameters = 0;
    for (const auto& [name, facts] : reference.json.at("components").items()) {
      componentParameters += facts.at("num_parameters").get<std::int64_t>();
    }
    QCOMPARE(ourParameters, componentParameters);

    // Random weights are never EMA copies.
    for (const auto& [name, entry] : reference.json.at("optional_tensors").at("tensors").items()) {
      QVERIFY2(byName.count(name) == 0, name.c_str());
    }
    std::uint64_t fp16Bytes = 0;
    spec.dtype = at::kHalf;
    for (const auto& entry : plannedTensors(spec)) fp16Bytes += entry.byteSize();
    qInfo("%s: %zu tensors, %lld parameters, fp16 data %llu bytes", qPrintable(manifest), plan.size(),
          static_cast<long long>(ourParameters), static_cast<unsigned long long>(fp16Bytes));
  }

  // Tiny SD 1.x is sd15_tiny's layout plus ldm's schedule buffers (top-level names).
  void tinySd15MatchesGolden() {
    const auto golden = test::openGolden("sd15_tiny.safetensors");
    const auto plan = plannedTensors(tinySpec(ModelFamily::SD1, at::kFloat, 0));
    ShapeTable ours;
    for (const auto& entry : plan) {
      if (entry.name.find('.') != std::string::npos) ours[entry.name] = entry.shape;
      else QVERIFY2(entry.buffer, entry.name.c_str());
    }
    const auto diff = differences(ours, fileUnder(*golden, ""));
    QVERIFY2(diff.empty(), ("tiny SD 1.x differs from sd15_tiny:" + diff).c_str());
  }

  // Tiny SDXL: the UNet of unet_sdxl_tiny, the text encoders of clip_l_tiny / clip_g_tiny
  // (whatever prefix they are stored under), the tiny VAE of sd15_tiny.
  void tinySdxlMatchesGoldens_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("marker");  // a name suffix that locates the component
    QTest::addColumn<QString>("ourPrefix");
    QTest::newRow("unet") << "unet_sdxl_tiny.safetensors" << "input_blocks.0.0.weight"
                          << QString::fromStdString(checkpoint_keys::kUNet);
    QTest::newRow("clip-l") << "clip_l_tiny.safetensors" << "embeddings.token_embedding.weight"
                            << QString::fromStdString(checkpoint_keys::kSdxlClipL + "text_model.");
    QTest::newRow("clip-g") << "clip_g_tiny.safetensors" << "token_embedding.weight"
                            << QString::fromStdString(checkpoint_keys::kSdxlOpenClipG);
    QTest::newRow("vae") << "sd15_tiny.safetensors" << "decoder.conv_in.weight"
                         << QString::fromStdString(checkpoint_keys::kVae);
  }

  void tinySdxlMatchesGoldens() {
    QFETCH(QString, file);
    QFETCH(QString, marker);
    QFETCH(QString, ourPrefix);
    const auto golden = test::openGolden(file.toStdString());
    const auto goldenPrefix = prefixBefore(*golden, marker.toStdString());
    QVERIFY2(!goldenPrefix.empty(), "component not found in the golden file");
    const auto plan = plannedTensors(tinySpec(ModelFamily::SDXL, at::kFloat, 0));
    const auto diff = differences(planUnder(plan, ourPrefix.toStdString()), fileUnder(*golden, goldenPrefix));
    QVERIFY2(diff.empty(), ("tiny SDXL differs from " + file.toStdString() + ":" + diff).c_str());
  }

  void writesLoadableTinyCheckpoints_data() {
    QTest::addColumn<int>("family");
    QTest::addColumn<int>("dtype");
    QTest::newRow("sd15 fp32") << static_cast<int>(ModelFamily::SD1) << static_cast<int>(at::kFloat);
    QTest::newRow("sdxl fp16") << static_cast<int>(ModelFamily::SDXL) << static_cast<int>(at::kHalf);
  }

  void writesLoadableTinyCheckpoints() {
    QFETCH(int, family);
    QFETCH(int, dtype);
    const auto spec = tinySpec(static_cast<ModelFamily>(family), static_cast<at::ScalarType>(dtype), 11);
    const auto path = pathOf(std::string("loadable-") + archName(spec.family) + ".safetensors");
    const auto summary = writeRandomCheckpoint(spec, path);
    const auto plan = plannedTensors(spec);
    QCOMPARE(summary.tensorCount, static_cast<std::int64_t>(plan.size()));
    QCOMPARE(summary.fileBytes, static_cast<std::uint64_t>(std::filesystem::file_size(path)));

    const auto file = SafetensorsFile::open(path);
    QCOMPARE(file->tensors().size(), plan.size());
    QCOMPARE(file->metadataValue("celerity_random_weights").value_or(""), std::string("true"));
    QCOMPARE(file->metadataValue("arch").value_or(""), std::string(archName(spec.family)));
    QCOMPARE(file->metadataValue("seed").value_or(""), std::string("11"));
    QCOMPARE(file->metadataValue("size").value_or(""), std::string("tiny"));

    const auto info = detectCheckpoint(ShapeMap::of(*file));
    QCOMPARE(static_cast<int>(info.family), family);
    std::set<int> expected = {static_cast<int>(ComponentKind::UNet), static_cast<int>(ComponentKind::ClipL),
                              static_cast<int>(ComponentKind::Vae)};
    if (spec.family == ModelFamily::SDXL) expected.insert(static_cast<int>(ComponentKind::OpenClipG));
    QCOMPARE(componentKinds(info), expected);
    std::int64_t componentParameters = 0;
    for (const auto& c : info.components) componentParameters += c.parameterCount;
    QCOMPARE(componentParameters, summary.parameterCount);
    const auto description = describeCheckpoint(info);
    QVERIFY2(description.find(modelFamilyName(spec.family)) != std::string::npos, description.c_str());

    // Loads, and every component computes finite, non-constant outputs.
    const auto model = LoadedModel::fromCheckpoint(path);
    QCOMPARE(static_cast<int>(model->family()), family);
    c10::InferenceMode guard;
    at::manual_seed(3);
    const auto& unetConfig = model->unet()->config();
    const auto x = at::randn({1, unetConfig.inChannels, 16, 16});
    const auto context = at::randn({1, 77, unetConfig.contextDim});
    const auto y = unetConfig.admInChannels > 0 ? at::randn({1, unetConfig.admInChannels}) : at::Tensor();
    const auto eps = model->unet()->forward(x, at::full({1}, 500.0), context, y);
    QVERIFY(at::isfinite(eps).all().item<bool>());
    QVERIFY(eps.std().item<double>() > 1e-3);
    const auto image = model->vae()->decode(at::randn({1, model->latentChannels(), 8, 8}));
    QVERIFY(at::isfinite(image).all().item<bool>());
    QVERIFY(image.std().item<double>() > 1e-3);
    const auto tokens = at::tensor({49406, 320, 1125, 539, 49407}, at::kLong).unsqueeze(0);
    QVERIFY(at::isfinite(model->clipL()->forward(tokens).lastHidden).all().item<bool>());
  }

  void sameSeedSameBytes() {
    const auto spec = tinySpec(ModelFamily::SD1, at::kHalf, 5);
    const auto first = pathOf("seed5-a.safetensors");
    const auto second = pathOf("seed5-b.safetensors");
    const auto other = pathOf("seed6.safetensors");
    writeRandomCheckpoint(spec, first);
    writeRandomCheckpoint(spec, second);
    auto reseeded = spec;
    reseeded.seed = 6;
    writeRandomCheckpoint(reseeded, other);
    const auto bytes = readBytes(first);
    QVERIFY(!bytes.empty());
    QVERIFY(bytes == readBytes(second));
    QVERIFY(bytes != readBytes(other));

    // Another seed: other weights, the same fixed tensors.
    const auto a = SafetensorsFile::open(first);
    const auto b = SafetensorsFile::open(other);
    for (const auto& entry : plannedTensors(spec)) {
      const bool same = at::equal(a->tensor(entry.name), b->tensor(entry.name));
      QVERIFY2(same == (entry.init == WeightInit::Fixed), entry.name.c_str());
    }
  }

  void dtypesHonoured_data() {
    QTest::addColumn<int>("dtype");
    QTest::addColumn<QString>("name");
    QTest::newRow("fp16") << static_cast<int>(at::kHalf) << "F16";
    QTest::newRow("bf16") << static_cast<int>(at::kBFloat16) << "BF16";
    QTest::newRow("fp32") << static_cast<int>(at::kFloat) << "F32";
  }

  void dtypesHonoured() {
    QFETCH(int, dtype);
    QFETCH(QString, name);
    const auto spec = tinySpec(ModelFamily::SDXL, static_cast<at::ScalarType>(dtype), 1);
    const auto path = pathOf("dtype-" + name.toStdString() + ".safetensors");
    writeRandomCheckpoint(spec, path);
    const auto file = SafetensorsFile::open(path);
    QCOMPARE(file->metadataValue("dtype").value_or(""), std::string(dtypeOptionName(spec.dtype)));
    for (const auto& info : file->tensors()) {
      const bool ids = info.name.size() > 12 && info.name.compare(info.name.size() - 12, 12, "position_ids") == 0;
      const std::string expected = ids ? "I64" : name.toStdString();
      QVERIFY2(expected == dtypeName(info.dtype), info.name.c_str());
      if (ids) QVERIFY(at::equal(file->tensor(info), at::arange(info.shape.back(), at::kLong).unsqueeze(0)));
    }
  }

  // Standardised per initialisation kind, the random values are N(0, 1); the fixed ones are
  // the schedule the sampler uses.
  void valuesFollowTheScaling() {
    for (const auto family : {ModelFamily::SD1, ModelFamily::SDXL}) {
      const auto spec = tinySpec(family, at::kFloat, 9);
      const auto path = pathOf(std::string("values-") + archName(family) + ".safetensors");
      writeRandomCheckpoint(spec, path);
      const auto file = SafetensorsFile::open(path);
      std::map<WeightInit, std::vector<at::Tensor>> standardised;
      for (const auto& entry : plannedTensors(spec)) {
        const auto values = file->tensor(entry.name).to(at::kDouble).flatten();
        switch (entry.init) {
          case WeightInit::FanIn: {
            const auto fanIn = static_cast<double>(entry.numel() / entry.shape[0]);
            standardised[entry.init].push_back(values * std::sqrt(fanIn));
            break;
          }
          case WeightInit::NormWeight: standardised[entry.init].push_back((values - 1.0) / 0.1); break;
          case WeightInit::Bias: standardised[entry.init].push_back(values / 0.1); break;
          case WeightInit::Embedding: standardised[entry.init].push_back(values / 0.5); break;
          default: break;
        }
      }
      QCOMPARE(standardised.size(), std::size_t(4));
      for (const auto& [init, parts] : standardised) {
        const auto all = at::cat(parts);
        const auto label = std::string(archName(family)) + " init " + std::to_string(static_cast<int>(init));
        QVERIFY2(std::abs(all.mean().item<double>()) < 0.05, label.c_str());
        QVERIFY2(std::abs(all.std().item<double>() - 1.0) < 0.05, label.c_str());
      }
      if (family == ModelFamily::SDXL) {
        const auto expected = DiscreteSchedule::scaledLinear(SigmaTableFlavor::Sgm).sigmas();
        CELERITY_COMPARE_TENSORS("denoiser.sigmas", file->tensor("denoiser.sigmas"), expected);
      } else {
        const auto alphas = file->tensor("alphas_cumprod").to(at::kDouble);
        const auto sigmas = ((1.0 - alphas) / alphas).sqrt().to(at::kFloat);
        CELERITY_COMPARE_TENSORS("alphas_cumprod", sigmas, DiscreteSchedule::scaledLinear().sigmas());
        CELERITY_COMPARE_TENSORS("betas", file->tensor("betas"),
                                 1.0 - file->tensor("alphas_cumprod") / file->tensor("alphas_cumprod_prev"));
      }
    }
  }

  void rejectsBadSpecsAndPaths() {
    auto expectCode = [](ErrorCode code, const auto& fn) {
      try {
        fn();
        QFAIL("no error");
      } catch (const CelerityError& e) {
        QCOMPARE(static_cast<int>(e.code()), static_cast<int>(code));
      }
    };
    auto spec = tinySpec(ModelFamily::Unknown, at::kHalf, 0);
    expectCode(ErrorCode::InvalidArgument, [&] { plannedTensors(spec); });
    spec = tinySpec(ModelFamily::SD1, at::kDouble, 0);
    expectCode(ErrorCode::InvalidArgument, [&] { plannedTensors(spec); });
    expectCode(ErrorCode::InvalidArgument, [] { parseArchName("sd21"); });
    expectCode(ErrorCode::InvalidArgument, [] { parseDtypeOptionName("fp8"); });
    QCOMPARE(static_cast<int>(parseArchName("sdxl")), static_cast<int>(ModelFamily::SDXL));
    QCOMPARE(parseDtypeOptionName("bf16"), at::kBFloat16);

    const auto path = pathOf("missing-folder") / "x.safetensors";
    try {
      writeRandomCheckpoint(tinySpec(ModelFamily::SD1, at::kHalf, 0), path);
      QFAIL("no error for a missing folder");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::FileUnreadable));
      QCOMPARE(e.error().where, path.string());
    }
  }
};

QTEST_APPLESS_MAIN(TestMakeCheckpointGolden)
#include "tst_make_checkpoint_golden.moc"
