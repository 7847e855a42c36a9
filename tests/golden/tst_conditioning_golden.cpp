// Text conditioning against AUTOMATIC1111 (cond_sd15_tiny: every case's chunks, tokens,
// multipliers, token counts and z; every pair's cond/uncond/empty and both paddings) and
// against sgm's SDXL conditioner (e2e_sdxl_tiny: context, y, pooled and tokens of cond and
// of the zeroed empty negative). Cases, options and weights come from the golden files.
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <QTest>
#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "conditioning/A1111PromptParser.h"
#include "common/GoldenSupport.h"
#include "conditioning/ChunkTextEncoder.h"
#include "conditioning/CondUncondPadding.h"
#include "conditioning/Emphasis.h"
#include "conditioning/TextConditioner.h"
#include "io/SafetensorsFile.h"
#include "io/ShapeMap.h"
#include "models/clip/ClipTextModel.h"
#include "models/clip/OpenClipTextModel.h"
#include "models/common/WeightLoader.h"
#include "text/ClipTokenizer.h"

using celerity::CelerityError;
using celerity::ConditioningOptions;
using celerity::PromptFragments;
using celerity::TextConditioner;
using nlohmann::json;

namespace {

constexpr const char* kCondJson = "cond_sd15_tiny.json";
constexpr const char* kSdxlFile = "e2e_sdxl_tiny.expected.safetensors";

json readJson(const std::string& name) {
  std::ifstream in(celerity::test::goldenPath(name));
  if (!in) throw CelerityError(celerity::ErrorCode::FileNotFound, "cannot open golden", name);
  return json::parse(in);
}

// The engine's A1111 parse_prompt_attention, for the texts the golden stores unparsed (pair
// prompts, the SDXL prompt). parserMatchesJson checks it against every parse the JSON stores.
PromptFragments parseAttention(const std::string& text) { return celerity::parseA1111Prompt(text); }

PromptFragments fragmentsOf(const json& parsed) {
  PromptFragments fragments;
  for (const auto& pair : parsed) fragments.push_back({pair.at(0).get<std::string>(), pair.at(1).get<double>()});
  return fragments;
}

ConditioningOptions optionsOf(const json& options) {
  ConditioningOptions result;
  result.clipSkip = options.at("CLIP_stop_at_last_layers").get<int>();
  result.commaPaddingBacktrack = options.at("comma_padding_backtrack").get<int>();
  result.emphasis = celerity::emphasisModeFromName(options.at("emphasis").get<std::string>());
  if (options.value("use_old_emphasis_implementation", false)) {
    throw CelerityError(celerity::ErrorCode::InvalidArgument, "old emphasis is not implemented",
                        "use_old_emphasis_implementation");
  }
  return result;
}

std::vector<std::int64_t> shapeOf(const json& shape) { return shape.get<std::vector<std::int64_t>>(); }

// Collects every failure of a loop over cases, so that one bad case still shows the rest.
struct Report {
  std::vector<std::string> failures;
  double worstRelative = 0;
  std::string worstLabel;

  void fail(const std::string& text) {
    failures.push_back(text);
    qWarning("FAIL %s", text.c_str());
  }
  void check(bool ok, const std::string& text) {
    if (!ok) fail(text);
  }
  // The folder rule, and the JSON tolerance (allclose) where rtol ≥ 0; logs the relative error.
  void compare(const std::string& label, const at::Tensor& out, const at::Tensor& ref, double rtol = -1,
               double atol = 0) {
    if (!out.defined() || out.sizes() != ref.sizes()) {
      fail(label + ": shape " + (out.defined() ? c10::str(out.sizes()) : std::string("undefined")) + " vs " +
           c10::str(ref.sizes()));
      return;
    }
    if (!ref.is_floating_point()) {
      check(at::equal(out.to(ref.scalar_type()), ref), label + ": integers differ");
      return;
    }
    const auto o = out.to(at::kDouble), r = ref.to(at::kDouble);
    const double maxDiff = (o - r).abs().max().item<double>();
    const double maxRef = r.abs().max().item<double>();
    const double rel = maxRef > 0 ? maxDiff / maxRef : maxDiff;
    const bool close = rtol < 0 || ((o - r).abs() <= atol + rtol * r.abs()).all().item<bool>();
    const auto rule = celerity::test::compareTensors(out, ref);
    qInfo("%s: max|diff| %.3g, rel %.3g", label.c_str(), maxDiff, rel);
    if (rel > worstRelative) {
      worstRelative = rel;
      worstLabel = label;
    }
    check(close && rule.ok, label + ": " + rule.message + (close ? "" : " (outside rtol/atol)"));
  }
  void exact(const std::string& label, const at::Tensor& out, const at::Tensor& ref) {
    const bool ok = out.defined() && out.sizes() == ref.sizes() && at::equal(out.to(ref.scalar_type()), ref);
    check(ok, label + ": not bit-exact");
  }
  std::string summary() const {
    std::string text = std::to_string(failures.size()) + " failure(s):";
    for (const auto& failure : failures) text += "\n  " + failure;
    return text;
  }
};

}  // namespace

class TestConditioningGolden : public QObject {
  Q_OBJECT

 private:
  json golden_;
  std::shared_ptr<celerity::SafetensorsFile> weights_;
  std::shared_ptr<const celerity::ClipTokenizer> tokenizer_;
  std::unique_ptr<TextConditioner> conditioner_;
  double rtol_ = 1e-4, atol_ = 1e-5;

  at::Tensor stored(const std::string& key) const { return celerity::test::caseTensor(*weights_, "", key); }

 private slots:
  void initTestCase() {
    golden_ = readJson(kCondJson);
    weights_ = celerity::test::openGolden(golden_.at("safetensors").at("file").get<std::string>());
    const auto casesJson = weights_->metadataValue("cases_json");
    QVERIFY2(casesJson && *casesJson == kCondJson, "safetensors metadata names another cases_json");
    tokenizer_ = celerity::ClipTokenizer::loadDefault();
    const auto& model = golden_.at("model");
    QCOMPARE(tokenizer_->bosId(), model.at("bos").get<int>());
    QCOMPARE(tokenizer_->eosId(), model.at("eos").get<int>());
    QCOMPARE(tokenizer_->vocabulary().idOf(",</w>"), model.at("comma").get<int>());
    const auto prefix = model.at("weights_prefix").get<std::string>();
    celerity::ClipTextModel clip(celerity::ClipTextConfig::fromWeights(
        celerity::ShapeMap::of(*weights_), prefix, model.at("heads").get<std::int64_t>()));
    celerity::loadWeights(*clip, *weights_, prefix);  // ignores the a1111.* keys
    QCOMPARE(clip->config().layers, model.at("layers").get<std::int64_t>());
    QCOMPARE(clip->config().width, model.at("width").get<std::int64_t>());
    conditioner_ = std::make_unique<TextConditioner>(TextConditioner::sd1(tokenizer_, clip, "cond_sd15_tiny"));
    const auto& z = golden_.at("tolerance").at("z");
    rtol_ = z.at("rtol").get<double>();
    atol_ = z.at("atol").get<double>();
    QVERIFY(!golden_.at("cases").empty());
    QVERIFY(!golden_.at("pairs").empty());
  }

  // The engine's parse_prompt_attention reproduces every parse the JSON stores.
  void parserMatchesJson() {
    Report report;
    int checked = 0;
    for (const auto& c : golden_.at("cases")) {
      if (c.at("options").at("emphasis") == "None") continue;  // A1111 does not parse then
      for (const auto& text : c.at("per_text")) {
        const auto expected = fragmentsOf(text.at("parsed"));
        const auto got = parseAttention(text.at("text").get<std::string>());
        bool same = got.size() == expected.size();
        for (std::size_t i = 0; same && i < got.size(); ++i) {
          same = got[i].text == expected[i].text && got[i].weight == expected[i].weight;
        }
        report.check(same, c.at("id").get<std::string>() + ": parse differs");
        ++checked;
      }
    }
    qInfo("%d parses checked", checked);
    QVERIFY2(report.failures.empty(), report.summary().c_str());
  }

  void cases() {
    Report report;
    for (const auto& c : golden_.at("cases")) {
      const auto id = c.at("id").get<std::string>();
      try {
        const auto options = optionsOf(c.at("options"));
        std::map<std::string, PromptFragments> parses;
        for (const auto& text : c.at("per_text")) parses[text.at("text")] = fragmentsOf(text.at("parsed"));
        const auto texts = c.at("texts").get<std::vector<std::string>>();
        const auto result = conditioner_->encodeTexts(
            texts, [&parses](const std::string& text) { return parses.at(text); }, options);

        report.check(result.batch() == c.at("batch").get<std::int64_t>(), id + ": batch");
        report.check(result.chunkCount() == c.at("n_chunks").get<std::int64_t>(), id + ": chunk count");
        const auto& perText = c.at("per_text");
        report.check(perText.size() == result.prompts.size(), id + ": texts");
        for (std::size_t b = 0; b < perText.size() && b < result.prompts.size(); ++b) {
          const auto& want = perText[b];
          const auto& got = result.prompts[b];
          const auto label = id + "[" + std::to_string(b) + "]";
          report.check(got.tokenCount == want.at("token_count").get<int>(), label + ": token_count");
          report.check(got.targetTokenCount == want.at("target_token_count").get<int>(),
                       label + ": target_token_count");
          const auto& chunks = want.at("chunks");
          report.check(chunks.size() == got.chunks.size(), label + ": chunk count");
          for (std::size_t i = 0; i < chunks.size() && i < got.chunks.size(); ++i) {
            report.check(got.chunks[i].tokens == chunks[i].at("tokens").get<std::vector<std::int64_t>>(),
                         label + " chunk " + std::to_string(i) + ": tokens");
            report.check(got.chunks[i].multipliers == chunks[i].at("multipliers").get<std::vector<double>>(),
                         label + " chunk " + std::to_string(i) + ": multipliers");
          }
        }
        const auto& names = c.at("tensors");
        report.exact(id + ".tokens", result.tokens, stored(names.at("tokens")));
        report.exact(id + ".multipliers", result.multipliers, stored(names.at("multipliers")));
        report.check(result.context.sizes().vec() == shapeOf(c.at("shapes").at("z")), id + ": z shape");
        report.compare(id + ".z", result.context, stored(names.at("z")), rtol_, atol_);

        std::map<std::string, std::string> extra(result.extraGenerationParams.begin(),
                                                 result.extraGenerationParams.end());
        report.check(json(extra) == c.at("extra_generation_params"), id + ": extra_generation_params");
      } catch (const std::exception& e) {
        report.fail(id + ": " + e.what());
      }
    }
    qInfo("cases: worst relative error %.3g (%s)", report.worstRelative, report.worstLabel.c_str());
    QVERIFY2(report.failures.empty(), report.summary().c_str());
  }

  void pairs() {
    Report report;
    for (const auto& p : golden_.at("pairs")) {
      const auto id = p.at("id").get<std::string>();
      try {
        const auto options = optionsOf(p.at("options"));
        const auto encodeOne = [&](const std::string& text) {
          return conditioner_->encodeTexts({text}, parseAttention, options).context;
        };
        const auto cond = encodeOne(p.at("positive"));
        auto negativeOptions = options;
        negativeOptions.negative = true;
        const auto uncond =
            conditioner_->encodeTexts({p.at("negative").get<std::string>()}, parseAttention, negativeOptions).context;
        const auto empty = conditioner_->emptyContext(options);
        const auto& names = p.at("tensors");
        const auto& shapes = p.at("shapes");
        auto compare = [&](const std::string& key, const at::Tensor& out) {
          report.check(out.sizes().vec() == shapeOf(shapes.at(key)), id + "." + key + ": shape");
          report.compare(id + "." + key, out, stored(names.at(key)), rtol_, atol_);
        };
        compare("cond", cond);
        compare("uncond", uncond);
        compare("empty", empty);
        const auto padded = celerity::padCondUncond(cond, uncond, empty);
        compare("pad.cond", padded.cond);
        compare("pad.uncond", padded.uncond);
        report.check(padded.padded == p.at("padded_cond_uncond").get<bool>(), id + ": padded flag");
        const auto paddedV0 = celerity::padCondUncondV0(cond, uncond);
        compare("pad_v0.cond", paddedV0.cond);
        compare("pad_v0.uncond", paddedV0.uncond);
        report.check(paddedV0.padded == p.at("padded_cond_uncond_v0").get<bool>(), id + ": padded v0 flag");
      } catch (const std::exception& e) {
        report.fail(id + ": " + e.what());
      }
    }
    qInfo("pairs: worst relative error %.3g (%s)", report.worstRelative, report.worstLabel.c_str());
    QVERIFY2(report.failures.empty(), report.summary().c_str());
  }

  // sgm's SDXL conditioner (e2e golden): both encoders from the files the golden assembled.
  void sdxlEndToEnd() {
    const auto file = celerity::test::openGolden(kSdxlFile);
    auto meta = [&file](const std::string& key) {
      const auto value = file->metadataValue(key);
      if (!value) throw CelerityError(celerity::ErrorCode::MalformedFile, "metadata lacks " + key, kSdxlFile);
      return *value;
    };
    // weights_assembly: which file and prefix became embedders 0 (CLIP-L) and 1 (OpenCLIP).
    std::string clipFile, clipPrefix, openClipFile, openClipPrefix;
    for (const auto& part : json::parse(meta("weights_assembly"))) {
      const auto as = part.at("as_prefix").get<std::string>();
      if (as.rfind("conditioner.embedders.0.", 0) == 0) {
        clipFile = part.at("file");
        clipPrefix = part.at("take_prefix");
      } else if (as.rfind("conditioner.embedders.1.", 0) == 0) {
        openClipFile = part.at("file");
        openClipPrefix = part.at("take_prefix");
      }
    }
    QVERIFY2(!clipFile.empty() && !openClipFile.empty(), "weights_assembly lacks the text encoders");
    const auto clipWeights = celerity::test::openGolden(clipFile);
    const auto openClipWeights = celerity::test::openGolden(openClipFile);
    celerity::ClipTextModel clipL(celerity::ClipTextConfig::fromWeights(celerity::ShapeMap::of(*clipWeights), clipPrefix));
    celerity::loadWeights(*clipL, *clipWeights, clipPrefix);
    celerity::OpenClipTextModel openClip(
        celerity::OpenClipTextConfig::fromWeights(celerity::ShapeMap::of(*openClipWeights), openClipPrefix));
    celerity::loadWeights(*openClip, *openClipWeights, openClipPrefix);
    const auto conditioner = TextConditioner::sdxl(tokenizer_, clipL, openClip, "e2e_sdxl_tiny");

    const auto sizes = json::parse(meta("size_ids"));
    ConditioningOptions options;
    auto sizeId = [&sizes](const char* key, int i) { return sizes.at(key).at(i).get<std::int64_t>(); };
    options.sdxlSize = {sizeId("original_size_as_tuple", 0), sizeId("original_size_as_tuple", 1),
                        sizeId("crop_coords_top_left", 0),   sizeId("crop_coords_top_left", 1),
                        sizeId("target_size_as_tuple", 0),   sizeId("target_size_as_tuple", 1)};
    const auto prompt = meta("prompt");
    const auto negativePrompt = meta("negative_prompt");
    const auto batch = std::stoll(meta("num_samples"));
    const std::vector<std::string> prompts(static_cast<std::size_t>(batch), prompt);
    const std::vector<std::string> negatives(static_cast<std::size_t>(batch), negativePrompt);
    QVERIFY2(negativePrompt.empty(), "this golden format stores a zeroed uncond for an empty negative only");

    Report report;
    auto ref = [&file](const std::string& key) { return celerity::test::caseTensor(*file, "", key); };
    const auto cond = conditioner.encodeTexts(prompts, parseAttention, options);
    report.check(cond.chunkCount() == 1, "cond: one chunk (sgm truncates at 77)");
    report.exact("clip_l.tokens_cond", cond.tokens.select(1, 0), ref("clip_l.tokens_cond"));
    report.exact("clip_g.tokens_cond", cond.openClipTokens.select(1, 0), ref("clip_g.tokens_cond"));
    report.exact("size_ids", cond.sizeIds, ref("size_ids"));
    report.compare("clip_g.pooled_cond", cond.pooled, ref("clip_g.pooled_cond"));
    report.compare("cond.context", cond.context, ref("cond.context"));
    report.compare("cond.y", cond.y, ref("cond.y"));

    auto negativeOptions = options;
    negativeOptions.negative = true;
    const auto uncond = conditioner.encodeTexts(negatives, parseAttention, negativeOptions);
    report.check(uncond.zeroed, "uncond: empty negative zeroed");
    report.exact("clip_l.tokens_uncond", uncond.tokens.select(1, 0), ref("clip_l.tokens_uncond"));
    report.exact("clip_g.tokens_uncond", uncond.openClipTokens.select(1, 0), ref("clip_g.tokens_uncond"));
    report.compare("uncond.context", uncond.context, ref("uncond.context"));
    report.compare("uncond.y", uncond.y, ref("uncond.y"));

    // ComfyUI's habit: the empty negative encoded as text (the golden's *_uncond_encoded).
    negativeOptions.sdxlEmptyNegative = celerity::SdxlEmptyNegative::Encode;
    const auto encoded = conditioner.encodeTexts(negatives, parseAttention, negativeOptions);
    report.check(!encoded.zeroed, "encoded uncond: not zeroed");
    const auto encodedRef =
        at::cat({ref("clip_l.hidden_uncond_encoded"), ref("clip_g.penultimate_uncond_encoded")}, 2);
    report.compare("uncond encoded context", encoded.context, encodedRef);
    report.compare("clip_g.pooled_uncond_encoded", encoded.pooled, ref("clip_g.pooled_uncond_encoded"));

    qInfo("sdxl: worst relative error %.3g (%s)", report.worstRelative, report.worstLabel.c_str());
    QVERIFY2(report.failures.empty(), report.summary().c_str());
  }
};

QTEST_GUILESS_MAIN(TestConditioningGolden)
#include "tst_conditioning_golden.moc"
