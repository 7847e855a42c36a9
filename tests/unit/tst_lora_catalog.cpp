// The torch-free LoRA catalog (celerity/LoraCatalog.h): listing the LoRA folders with what
// the files' headers tell, base-model compatibility, and the prompt's <lora:…> tags with
// their byte ranges — found, re-weighted, removed and appended as the engine reads them.
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>

#include "celerity/LoraCatalog.h"
#include "io/SafetensorsWriter.h"
#include "prompt/ExtraNetworks.h"

using namespace celerity;
namespace fs = std::filesystem;

namespace {

using Tensors = std::vector<std::pair<std::string, at::Tensor>>;

// One kohya LoRA module: down [rank, in], up [out, rank], optional 0-d alpha.
Tensors module(const std::string& name, std::int64_t out, std::int64_t in, std::int64_t rank, double alpha = -1.0) {
  Tensors t{{name + ".lora_down.weight", at::randn({rank, in})}, {name + ".lora_up.weight", at::randn({out, rank})}};
  if (alpha >= 0.0) t.emplace_back(name + ".alpha", at::scalar_tensor(alpha, at::kFloat));
  return t;
}

}  // namespace

class TestLoraCatalog : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;

  fs::path root() const { return fs::path(dir_.path().toStdString()); }

 private slots:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void listsEveryFileWithItsHeader() {
    const auto folder = root() / "loras";
    fs::create_directories(folder / "styles");
    const nlohmann::json tags = {{"10_cat", {{"cat", 12}, {"tabby", 3}}}, {"5_cat", {{"orange", 9}}}};
    writeSafetensors(folder / "cat.safetensors", module("lora_unet_down_blocks_0_attentions_0_proj_in", 32, 32, 4, 2.0),
                     {{"ss_base_model_version", "sd_v1"}, {"ss_network_dim", "4"}, {"ss_network_alpha", "3.5"},
                      {"ss_output_name", "catlora"}, {"ss_tag_frequency", tags.dump()}});
    // SDXL told by the cross-attention input width; the same stem as the file above.
    writeSafetensors(folder / "styles" / "cat.safetensors",
                     module("lora_unet_input_blocks_4_1_transformer_blocks_0_attn2_to_k", 64, 2048, 8, 4.0));
    writeSafetensors(folder / "styles" / "plain.safetensors", module("lora_te_text_model_encoder_layers_0_mlp_fc1", 64, 32, 2));
    std::ofstream(folder / "broken.safetensors") << "this is no safetensors file";
    std::ofstream(folder / "old.pt") << "pickle";
    const auto entries = listLoras({(root() / "missing").string(), folder.string()});

    QCOMPARE(entries.size(), std::size_t(4));
    QCOMPARE(entries[0].relativeName, std::string("broken"));
    QVERIFY(!entries[0].error.empty());
    QCOMPARE(entries[0].fileBytes, std::int64_t(27));

    const auto& cat = entries[1];
    QCOMPARE(cat.name, std::string("cat"));
    QCOMPARE(cat.path, (folder / "cat.safetensors").string());
    QCOMPARE(cat.folder, folder.string());
    QVERIFY(cat.error.empty());
    QCOMPARE(cat.baseModel, std::string("SD 1.x"));
    QCOMPARE(cat.rank, 4);
    QCOMPARE(cat.alpha, 3.5);  // the metadata's, not the tensor's
    QCOMPARE(cat.outputName, std::string("catlora"));
    QCOMPARE(cat.triggerWords, (std::vector<std::string>{"cat", "orange", "tabby"}));
    QCOMPARE(cat.fileBytes, static_cast<std::int64_t>(fs::file_size(folder / "cat.safetensors")));

    const auto& xl = entries[2];
    QCOMPARE(xl.name, std::string("styles/cat"));  // "cat" already resolves to the shallower file
    QCOMPARE(xl.relativeName, std::string("styles/cat"));
    QCOMPARE(xl.baseModel, std::string("SDXL"));
    QVERIFY(xl.baseReason.find("2048") != std::string::npos);
    QCOMPARE(xl.rank, 8);
    QCOMPARE(xl.alpha, 4.0);  // the alpha tensor
    QVERIFY(xl.triggerWords.empty());

    const auto& plain = entries[3];
    QCOMPARE(plain.name, std::string("plain"));
    QCOMPARE(plain.baseModel, std::string());
    QCOMPARE(plain.rank, 2);
    QCOMPARE(plain.alpha, 2.0);  // no alpha anywhere: alpha = rank
  }

  void compatibilityWithTheCheckpointFamily() {
    QCOMPARE(loraCompatibility("SD 1.x", "SD 1.x"), LoraCompatibility::Compatible);
    QCOMPARE(loraCompatibility("SDXL", "SDXL base"), LoraCompatibility::Compatible);
    QCOMPARE(loraCompatibility("SDXL", "SDXL"), LoraCompatibility::Compatible);
    QCOMPARE(loraCompatibility("SDXL", "SD 1.x"), LoraCompatibility::Incompatible);
    QCOMPARE(loraCompatibility("SD 1.x", "SDXL base"), LoraCompatibility::Incompatible);
    QCOMPARE(loraCompatibility("SD 2.x", "SD 1.x"), LoraCompatibility::Incompatible);
    QCOMPARE(loraCompatibility("", "SD 1.x"), LoraCompatibility::Unknown);
    QCOMPARE(loraCompatibility("SD 1.x", ""), LoraCompatibility::Unknown);
    QCOMPARE(loraCompatibility("SD 1.x", "unknown"), LoraCompatibility::Unknown);
  }

  void findsTagsWithTheirByteRanges() {
    const std::string prompt =
        "ü a < b > <lora:cat:0.5:0.7> photo <lyco:styles/x:te=0.25> <hypernet:h:1> <lora:bad:abc> <lora:d:1:1:8>";
    const auto tags = findLoraTags(prompt);
    QCOMPARE(tags.size(), std::size_t(4));
    const auto text = [&](const LoraTag& t) { return prompt.substr(t.begin, t.end - t.begin); };
    QCOMPARE(text(tags[0]), std::string("<lora:cat:0.5:0.7>"));
    QCOMPARE(tags[0].begin, std::size_t(11));  // "ü" is two bytes
    QCOMPARE(tags[0].type, std::string("lora"));
    QCOMPARE(tags[0].name, std::string("cat"));
    QCOMPARE(tags[0].teWeight, 0.5);
    QCOMPARE(tags[0].unetWeight, 0.7);
    QVERIFY(tags[0].unetGiven);
    QVERIFY(tags[0].error.empty());
    QCOMPARE(text(tags[1]), std::string("<lyco:styles/x:te=0.25>"));
    QCOMPARE(tags[1].type, std::string("lyco"));
    QCOMPARE(tags[1].teWeight, 0.25);
    QCOMPARE(tags[1].unetWeight, 0.25);  // A1111: the UNet follows te
    QVERIFY(!tags[1].unetGiven);
    QCOMPARE(tags[2].name, std::string("bad"));
    QVERIFY(!tags[2].error.empty());
    QCOMPARE(tags[3].extraArgs, std::vector<std::string>{"8"});

    // The same tags as the engine's parser, and cutting the ranges gives its text.
    const auto engine = extractExtraNetworks(prompt);
    std::string cut;
    std::size_t copied = 0;
    for (const auto& t : tags) {
      cut += prompt.substr(copied, t.begin - copied);
      copied = t.end;
    }
    cut += prompt.substr(copied);
    QCOMPARE(engine.tags.size(), std::size_t(5));  // with the hypernet
    std::string expectedCut = engine.text;
    QVERIFY(cut.find("<hypernet:h:1>") != std::string::npos);
    cut.replace(cut.find("<hypernet:h:1>"), std::string("<hypernet:h:1>").size(), "");
    QCOMPARE(cut, expectedCut);
  }

  void formatsWeightsAndTags() {
    QCOMPARE(formatLoraWeight(1.0), std::string("1"));
    QCOMPARE(formatLoraWeight(0.8), std::string("0.8"));
    QCOMPARE(formatLoraWeight(-0.25), std::string("-0.25"));
    QCOMPARE(formatLoraWeight(0.123456), std::string("0.1235"));
    QCOMPARE(formatLoraWeight(-1e-9), std::string("0"));
    QCOMPARE(formatLoraWeight(2.0), std::string("2"));
    QCOMPARE(formatLoraTag("x", 1.0, 1.0), std::string("<lora:x:1>"));
    QCOMPARE(formatLoraTag("x", 0.5, 0.7), std::string("<lora:x:0.5:0.7>"));
    QCOMPARE(formatLoraTag("x", 1.0, 1.0, "lyco", {"8"}), std::string("<lyco:x:1:1:8>"));
    QCOMPARE(formatLoraTag("x", 1.0, 1.0, "lora", {"dyn=8"}), std::string("<lora:x:1:dyn=8>"));
  }

  void rewritesRemovesAndAppends() {
    const std::string prompt = "a <lora:cat:0.5:0.7>, photo <lora:d:1:1:8> end";
    const auto tags = findLoraTags(prompt);
    QCOMPARE(tags.size(), std::size_t(2));

    const auto reweighted = setLoraTagWeights(prompt, tags[0], 0.9, 0.9);
    QCOMPARE(reweighted, std::string("a <lora:cat:0.9>, photo <lora:d:1:1:8> end"));
    const auto again = findLoraTags(reweighted);
    QCOMPARE(again[0].teWeight, 0.9);
    QCOMPARE(again[0].unetWeight, 0.9);
    QCOMPARE(setLoraTagWeights(prompt, tags[1], 0.5, 0.25), std::string("a <lora:cat:0.5:0.7>, photo <lora:d:0.5:0.25:8> end"));

    QCOMPARE(removeLoraTag(prompt, tags[0]), std::string("a photo <lora:d:1:1:8> end"));
    QCOMPARE(removeLoraTag(prompt, tags[1]), std::string("a <lora:cat:0.5:0.7>, photo end"));
    const std::string first = "<lora:x:1> a";
    QCOMPARE(removeLoraTag(first, findLoraTags(first)[0]), std::string("a"));
    const std::string last = "a, b, <lora:x:1>";
    QCOMPARE(removeLoraTag(last, findLoraTags(last)[0]), std::string("a, b"));
    const std::string alone = "<lora:x:1>";
    QCOMPARE(removeLoraTag(alone, findLoraTags(alone)[0]), std::string());

    QCOMPARE(appendLoraTag("", "cat"), std::string("<lora:cat:1>"));
    QCOMPARE(appendLoraTag("a photo", "cat"), std::string("a photo <lora:cat:1>"));
    QCOMPARE(appendLoraTag("a photo\n", "styles/cat", 0.5), std::string("a photo\n<lora:styles/cat:0.5>"));
  }

  void scalesEveryValidTag() {
    const std::string prompt = "<lora:a:1> x <lora:b:0.5:1> <lora:bad:abc> <lyco:c:te=0.8>";
    QCOMPARE(scaleLoraWeights(prompt, 0.5), std::string("<lora:a:0.5> x <lora:b:0.25:0.5> <lora:bad:abc> <lyco:c:0.4>"));
    QCOMPARE(scaleLoraWeights(prompt, 1.0), std::string("<lora:a:1> x <lora:b:0.5:1> <lora:bad:abc> <lyco:c:0.8>"));
    QCOMPARE(scaleLoraWeights("no tags", 0.3), std::string("no tags"));
  }
};

QTEST_APPLESS_MAIN(TestLoraCatalog)
#include "tst_lora_catalog.moc"
