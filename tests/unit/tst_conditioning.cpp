// Text conditioning without golden files: A1111's chunking rules (comma back-tracking, BREAK,
// counts), emphasis, the encoding cache (a repeated prompt never re-runs the encoder),
// batches of texts with different chunk counts, cond/uncond padding, CLIP skip, and SDXL's
// two encoders with the zeroed empty negative. Models are tiny and randomly initialised.
#include <string>
#include <vector>

#include <QTest>

#include "celerity/Error.h"
#include "conditioning/ChunkBatchEncoder.h"
#include "conditioning/ChunkTextEncoder.h"
#include "conditioning/CondUncondPadding.h"
#include "conditioning/Emphasis.h"
#include "conditioning/EncodingCache.h"
#include "conditioning/PromptChunker.h"
#include "conditioning/TextConditioner.h"
#include "models/clip/ClipTextModel.h"
#include "models/clip/OpenClipTextModel.h"
#include "models/unet/SdxlConditioning.h"
#include "text/ClipTokenizer.h"

using celerity::ChunkedPrompt;
using celerity::ConditioningOptions;
using celerity::PromptChunker;
using celerity::PromptFragments;
using celerity::TextConditioner;

namespace {

constexpr std::int64_t kWidth = 32;

std::string repeat(const std::string& word, int times) {
  std::string text;
  for (int i = 0; i < times; ++i) text += word + " ";
  return text;
}

// Random weights: normal noise, LayerNorm scales near 1 so the activations stay sane.
void randomize(torch::nn::Module& module, std::uint64_t seed) {
  at::manual_seed(seed);
  at::NoGradGuard noGrad;
  for (auto& item : module.named_parameters()) {
    auto& p = item.value();
    const bool norm = item.key().find("norm") != std::string::npos || item.key().find("ln_") != std::string::npos;
    p.normal_(norm && item.key().find("weight") != std::string::npos ? 1.0 : 0.0, 0.2);
  }
}

celerity::ClipTextModel tinyClip(std::int64_t layers, std::uint64_t seed) {
  celerity::ClipTextConfig config;
  config.width = kWidth;
  config.layers = layers;
  config.heads = 4;
  config.mlpWidth = 4 * kWidth;
  celerity::ClipTextModel model(config);
  randomize(*model, seed);
  return model;
}

celerity::OpenClipTextModel tinyOpenClip(std::uint64_t seed) {
  celerity::OpenClipTextConfig config;
  config.width = 2 * kWidth;
  config.layers = 2;
  config.heads = 4;
  config.mlpWidth = 8 * kWidth;
  config.projectionDim = 2 * kWidth;
  celerity::OpenClipTextModel model(config);
  randomize(*model, seed);
  return model;
}

std::vector<std::int64_t> emptyRow(std::int64_t bos, std::int64_t eos) {
  std::vector<std::int64_t> row(PromptChunker::kChunkTokens, eos);
  row.front() = bos;
  return row;
}

}  // namespace

class TestConditioning : public QObject {
  Q_OBJECT

 private:
  std::shared_ptr<const celerity::ClipTokenizer> tokenizer_;

  std::int64_t single(const std::string& word) const {
    const auto ids = tokenizer_->encode(word);
    if (ids.size() != 1) throw std::runtime_error("'" + word + "' is not a single token");
    return ids.front();
  }

 private slots:
  void initTestCase() { tokenizer_ = celerity::ClipTokenizer::loadDefault(); }

  // 70 × cat, a comma, then a weighted run of dogs: the chunk fills up 5 tokens after the
  // comma, so the dogs move to chunk 2 with their multipliers; 80 × fish need a third chunk.
  void threeChunksWithCommaBacktrack() {
    const PromptChunker chunker(tokenizer_);
    const auto cat = single("cat"), dog = single("dog"), fish = single("fish");
    const auto comma = chunker.commaId();
    QCOMPARE(comma, static_cast<std::int64_t>(267));
    const PromptFragments fragments{{repeat("cat", 70) + ", ", 1.0}, {repeat("dog", 10), 1.3},
                                    {repeat("fish", 80), 1.0}};
    const auto prompt = chunker.chunk(fragments);
    QCOMPARE(prompt.chunks.size(), std::size_t{3});
    for (const auto& chunk : prompt.chunks) {
      QCOMPARE(chunk.tokens.size(), std::size_t{77});
      QCOMPARE(chunk.multipliers.size(), std::size_t{77});
      QCOMPARE(chunk.tokens.front(), chunker.bosId());
      QCOMPARE(chunk.tokens.back(), chunker.eosId());
      QCOMPARE(chunk.multipliers.front(), 1.0);
      QCOMPARE(chunk.multipliers.back(), 1.0);
    }
    const auto& first = prompt.chunks[0];
    QCOMPARE(first.tokens[70], cat);
    QCOMPARE(first.tokens[71], comma);
    for (int i = 72; i < 77; ++i) QCOMPARE(first.tokens[i], chunker.eosId());  // 4 moved + EOS
    const auto& second = prompt.chunks[1];
    for (int i = 1; i <= 10; ++i) {
      QCOMPARE(second.tokens[i], dog);
      QCOMPARE(second.multipliers[i], 1.3);
    }
    QCOMPARE(second.tokens[11], fish);
    QCOMPARE(second.multipliers[11], 1.0);
    QCOMPARE(second.tokens[75], fish);  // full: no comma in this chunk, so no back-tracking
    const auto& third = prompt.chunks[2];
    QCOMPARE(third.tokens[15], fish);   // 80 − 65 fish
    QCOMPARE(third.tokens[16], chunker.eosId());
    QCOMPARE(prompt.tokenCount, 75 + 75 + 15);
    QCOMPARE(prompt.targetTokenCount, 225);

    // Back-tracking off: the first chunk is cut at exactly 75 prompt tokens.
    const auto plain = chunker.chunk(fragments, 0);
    QCOMPARE(plain.chunks[0].tokens[75], dog);
    QCOMPARE(plain.chunks[0].multipliers[75], 1.3);
    QCOMPARE(plain.tokenCount, 75 + 75 + 11);
  }

  void breakClosesChunk() {
    const PromptChunker chunker(tokenizer_);
    const auto prompt = chunker.chunk({{"a cat", 1.0}, {"BREAK", -1.0}, {"a dog", 1.0}});
    QCOMPARE(prompt.chunks.size(), std::size_t{2});
    QCOMPARE(prompt.chunks[0].tokens[1], single("a"));
    QCOMPARE(prompt.chunks[0].tokens[2], single("cat"));
    QCOMPARE(prompt.chunks[0].tokens[3], chunker.eosId());
    QCOMPARE(prompt.chunks[1].tokens[2], single("dog"));
    QCOMPARE(prompt.tokenCount, 75 + 2);
    QCOMPARE(prompt.targetTokenCount, 150);

    // Only ("BREAK", -1) breaks: the word with weight 1 is text.
    const auto literal = chunker.chunk({{"BREAK", 1.0}});
    QCOMPARE(literal.chunks.size(), std::size_t{1});
    QVERIFY(literal.tokenCount > 0);
    // Leading and trailing BREAKs make empty chunks; nothing at all still makes one.
    QCOMPARE(chunker.chunk({{"BREAK", -1.0}, {"a", 1.0}, {"BREAK", -1.0}}).chunks.size(), std::size_t{2});
    const auto empty = chunker.chunk({{"", 1.0}});
    QCOMPARE(empty.chunks.size(), std::size_t{1});
    QCOMPARE(empty.tokenCount, 0);
    QCOMPARE(empty.targetTokenCount, 75);
    QCOMPARE(empty.chunks[0].tokens, chunker.emptyChunk().tokens);
  }

  void emphasisModes() {
    at::manual_seed(3);
    const auto z = at::randn({2, 77, 8}) + 0.5;
    auto multipliers = at::ones({2, 77});
    multipliers[0][5] = 1.5;
    multipliers[1][9] = 0.5;
    const auto noNorm = celerity::applyEmphasis(z, multipliers, celerity::EmphasisMode::NoNorm);
    QVERIFY(at::allclose(noNorm, z * multipliers.unsqueeze(-1)));
    const auto original = celerity::applyEmphasis(z, multipliers, celerity::EmphasisMode::Original);
    QVERIFY(std::abs(original.mean().item<double>() - z.mean().item<double>()) < 1e-6);
    QVERIFY(!at::allclose(original, noNorm));
    QVERIFY(at::equal(celerity::applyEmphasis(z, multipliers, celerity::EmphasisMode::Ignore), z));
    QCOMPARE(celerity::emphasisModeFromName("No norm"), celerity::EmphasisMode::NoNorm);
    QCOMPARE(std::string(celerity::emphasisModeName(celerity::EmphasisMode::None)), std::string("None"));
    QVERIFY_THROWS_EXCEPTION(celerity::CelerityError, celerity::emphasisModeFromName("original"));
  }

  // A repeated prompt is served from the cache: the encoder runs once per distinct row.
  void cacheSparesEncoder() {
    auto conditioner = TextConditioner::sd1(tokenizer_, tinyClip(2, 11), "tiny");
    auto* encoder = conditioner.encoders().at(0);
    ConditioningOptions options;
    const std::vector<PromptFragments> texts{{{"a red car, (shiny:1.2) chrome", 1.0}}};
    const auto first = conditioner.encode(texts, options);
    QCOMPARE(encoder->encodeCalls(), std::int64_t{1});
    QCOMPARE(encoder->encodedRows(), std::int64_t{1});
    const auto second = conditioner.encode(texts, options);  // the next job
    QCOMPARE(encoder->encodeCalls(), std::int64_t{1});
    QVERIFY(at::equal(first.context, second.context));
    QVERIFY(conditioner.cache().hits() >= 1);

    // Same tokens, other weights: still no encoder run (the cache holds raw outputs).
    const auto reweighted = conditioner.encode({{{"a red car, (shiny:1.2) chrome", 1.4}}}, options);
    QCOMPARE(encoder->encodeCalls(), std::int64_t{1});
    QVERIFY(!at::allclose(reweighted.context, first.context));

    // Another CLIP skip is another output.
    options.clipSkip = 2;
    conditioner.encode(texts, options);
    QCOMPARE(encoder->encodeCalls(), std::int64_t{2});
    conditioner.encode(texts, options);
    QCOMPARE(encoder->encodeCalls(), std::int64_t{2});

    // A batch repeating one text encodes that row once.
    options.clipSkip = 1;
    conditioner.encode({{{"blue sky", 1.0}}, {{"blue sky", 1.0}}}, options);
    QCOMPARE(encoder->encodeCalls(), std::int64_t{3});
    QCOMPARE(encoder->encodedRows(), std::int64_t{3});

    conditioner.cache().clear();
    conditioner.encode(texts, options);
    QCOMPARE(encoder->encodeCalls(), std::int64_t{4});
  }

  void cacheEvictsLeastRecentlyUsed() {
    const std::size_t rowBytes = 77 * kWidth * sizeof(float);
    celerity::EncodingCache cache(2 * rowBytes);
    auto key = [](std::int64_t token) { return celerity::EncodingKey{"e", 1, {49406, token, 49407}}; };
    for (std::int64_t t = 0; t < 3; ++t) {
      if (t == 2) QVERIFY(cache.find(key(0)).has_value());  // 0 becomes the most recent
      cache.insert(key(t), {at::zeros({77, kWidth}), at::Tensor()});
    }
    QCOMPARE(cache.size(), std::size_t{2});
    QVERIFY(cache.find(key(0)).has_value());
    QVERIFY(!cache.find(key(1)).has_value());
    QVERIFY(cache.find(key(2)).has_value());
    QVERIFY(!cache.find(celerity::EncodingKey{"e", 2, {49406, 0, 49407}}).has_value());
    QCOMPARE(cache.bytes(), 2 * rowBytes);
  }

  // Texts with 3 and 1 chunks in one batch: the short one is padded with empty chunks.
  void batchPadsWithEmptyChunks() {
    auto conditioner = TextConditioner::sd1(tokenizer_, tinyClip(2, 12), "tiny");
    ConditioningOptions options;
    const PromptFragments longText{{repeat("cat", 160), 1.0}};
    const PromptFragments shortText{{"a dog", 1.2}};
    const auto batch = conditioner.encode({longText, shortText}, options);
    QCOMPARE(batch.context.sizes().vec(), (std::vector<std::int64_t>{2, 231, kWidth}));
    QCOMPARE(batch.tokens.sizes().vec(), (std::vector<std::int64_t>{2, 3, 77}));
    QCOMPARE(batch.tokenCount, 160);
    const auto empty = emptyRow(tokenizer_->bosId(), tokenizer_->eosId());
    for (std::int64_t i = 1; i < 3; ++i) {
      const auto row = batch.tokens[1][i];
      QVERIFY(at::equal(row, at::tensor(empty, at::kLong)));
      QVERIFY(at::equal(batch.multipliers[1][i], at::ones({77})));
    }

    // cond 3 chunks, uncond 1: A1111's two paddings.
    const auto cond = conditioner.encode({longText}, options).context;
    auto negative = options;
    negative.negative = true;
    const auto uncond = conditioner.encode({shortText}, negative).context;
    const auto emptyContext = conditioner.emptyContext(options);
    QCOMPARE(emptyContext.sizes().vec(), (std::vector<std::int64_t>{1, 77, kWidth}));
    const auto padded = celerity::padCondUncond(cond, uncond, emptyContext);
    QVERIFY(padded.padded);
    QCOMPARE(padded.uncond.sizes().vec(), cond.sizes().vec());
    QVERIFY(at::equal(padded.cond, cond));
    QVERIFY(at::equal(padded.uncond.slice(1, 0, 77), uncond));
    QVERIFY(at::equal(padded.uncond.slice(1, 77, 154), emptyContext));
    QVERIFY(at::equal(padded.uncond.slice(1, 154, 231), emptyContext));
    const auto swapped = celerity::padCondUncond(uncond, cond, emptyContext);  // cond shorter
    QCOMPARE(swapped.cond.size(1), std::int64_t{231});
    QVERIFY(!celerity::padCondUncond(cond, cond, emptyContext).padded);

    const auto v0 = celerity::padCondUncondV0(cond, uncond);
    QVERIFY(v0.padded);
    QCOMPARE(v0.uncond.size(1), std::int64_t{231});
    QVERIFY(at::equal(v0.uncond.select(1, 230), uncond.select(1, 76)));
    const auto truncated = celerity::padCondUncondV0(uncond, cond);
    QCOMPARE(truncated.uncond.size(1), std::int64_t{77});
    QVERIFY(at::equal(truncated.uncond, cond.slice(1, 0, 77)));
    QVERIFY(at::equal(truncated.cond, uncond));
  }

  void clipSkipSelectsLayer() {
    auto clip = tinyClip(3, 13);
    auto conditioner = TextConditioner::sd1(tokenizer_, clip, "tiny");
    ConditioningOptions options;
    const std::vector<PromptFragments> texts{{{"a castle on a hill", 1.0}}};
    const auto skip1 = conditioner.encode(texts, options);
    options.clipSkip = 2;
    const auto skip2 = conditioner.encode(texts, options);
    QVERIFY(!at::allclose(skip1.context, skip2.context));
    // With all multipliers 1 the emphasis is the identity: the model's own outputs come out.
    c10::InferenceMode inference;
    const auto out = clip->forward(skip1.tokens.select(1, 0));
    QVERIFY(at::allclose(skip1.context, out.lastHidden, 1e-5, 1e-6));
    QVERIFY(at::allclose(skip2.context, clip->finalLayerNorm(out.hiddenStates[2]), 1e-5, 1e-6));
    options.clipSkip = 9;
    QVERIFY_THROWS_EXCEPTION(celerity::CelerityError, conditioner.encode(texts, options));
  }

  void sdxlTwoEncoders() {
    auto clipL = tinyClip(3, 21);
    auto openClip = tinyOpenClip(22);
    auto conditioner = TextConditioner::sdxl(tokenizer_, clipL, openClip, "tiny-xl");
    ConditioningOptions options;
    options.sdxlSize = celerity::SdxlSizeConditioning::forImage(768, 512);
    const auto cond = conditioner.encode({{{"a fox, snow", 1.0}, {"watercolor", 1.3}}}, options);
    QCOMPARE(cond.context.sizes().vec(), (std::vector<std::int64_t>{1, 77, 3 * kWidth}));
    QCOMPARE(cond.pooled.sizes().vec(), (std::vector<std::int64_t>{1, 2 * kWidth}));
    QCOMPARE(cond.y.size(1), 2 * kWidth + 6 * 256);
    QVERIFY(at::equal(cond.sizeIds, celerity::sdxlSizeIds(768, 512, 0, 0, 768, 512)));

    // CLIP-L keeps the EOS padding, OpenCLIP gets 0 after the first EOS.
    const auto clipRow = cond.tokens[0][0], openRow = cond.openClipTokens[0][0];
    const auto length = tokenizer_->encode("a fox, snow watercolor").size() + 1;
    const auto eos = static_cast<std::int64_t>(tokenizer_->eosId());
    QCOMPARE(clipRow[static_cast<std::int64_t>(length)].item<std::int64_t>(), eos);
    QCOMPARE(openRow[static_cast<std::int64_t>(length)].item<std::int64_t>(), eos);
    QCOMPARE(clipRow[76].item<std::int64_t>(), eos);
    QCOMPARE(openRow[76].item<std::int64_t>(), std::int64_t{0});

    // Pooled vector: OpenCLIP's, from the raw (unweighted) first chunk.
    {
      c10::InferenceMode inference;
      const auto out = openClip->forward(cond.openClipTokens.select(1, 0));
      QVERIFY(at::allclose(cond.pooled, out.pooled, 1e-5, 1e-6));
    }

    // Empty negative: zeros, size embeddings kept; ComfyUI mode encodes the text.
    auto negative = options;
    negative.negative = true;
    const auto uncond = conditioner.encode({{{"", 1.0}}}, negative);
    QVERIFY(uncond.zeroed);
    QCOMPARE(uncond.context.abs().max().item<float>(), 0.0f);
    QVERIFY(at::equal(uncond.y.slice(1, 0, 2 * kWidth), at::zeros({1, 2 * kWidth})));
    QVERIFY(at::equal(uncond.y.slice(1, 2 * kWidth), cond.y.slice(1, 2 * kWidth)));
    negative.sdxlEmptyNegative = celerity::SdxlEmptyNegative::Encode;
    const auto encoded = conditioner.encode({{{"", 1.0}}}, negative);
    QVERIFY(!encoded.zeroed);
    QVERIFY(encoded.context.abs().max().item<float>() > 0);
    // A non-empty negative is always encoded; a positive "" is never zeroed.
    negative.sdxlEmptyNegative = celerity::SdxlEmptyNegative::Zero;
    QVERIFY(!conditioner.encode({{{"blurry", 1.0}}}, negative).zeroed);
    QVERIFY(!conditioner.encode({{{"", 1.0}}}, options).zeroed);
    QVERIFY(!conditioner.encodeTexts({"()"}, [](const std::string&) { return PromptFragments{{"", 1.1}}; },
                                     negative).zeroed);

    // Long prompts: both encoders chunk alike, pooled stays the first chunk's.
    const auto longCond = conditioner.encode({{{repeat("fox", 100), 1.0}}}, options);
    QCOMPARE(longCond.context.sizes().vec(), (std::vector<std::int64_t>{1, 154, 3 * kWidth}));
    QCOMPARE(longCond.openClipTokens.size(1), std::int64_t{2});
  }

  void paddingAfterFirstEos() {
    const auto row = celerity::ChunkBatchEncoder::padAfterFirstEos({1, 5, 9, 9, 9}, 9, 0);
    QCOMPARE(row, (std::vector<std::int64_t>{1, 5, 9, 0, 0}));
  }

  void literalPromptAndExtraParams() {
    auto conditioner = TextConditioner::sd1(tokenizer_, tinyClip(2, 14), "tiny");
    ConditioningOptions options;
    options.emphasis = celerity::EmphasisMode::None;
    bool parserCalled = false;
    const auto result = conditioner.encodeTexts(
        {"a (red:1.5) car"},
        [&parserCalled](const std::string& text) {
          parserCalled = true;
          return TextConditioner::literalPrompt(text);
        },
        options);
    QVERIFY(!parserCalled);
    QCOMPARE(result.prompts[0].tokenCount, static_cast<int>(tokenizer_->encode("a (red:1.5) car").size()));
    QCOMPARE(result.extraGenerationParams.size(), std::size_t{1});
    QCOMPARE(result.extraGenerationParams[0].second, std::string("None"));
    options.emphasis = celerity::EmphasisMode::Original;
    QVERIFY(conditioner.encodeTexts({"a car"}, TextConditioner::literalPrompt, options).extraGenerationParams.empty());
  }
};

QTEST_GUILESS_MAIN(TestConditioning)
#include "tst_conditioning.moc"
