// Live previews: the latent→RGB projection against hand computations, the byte mapping,
// the preview cadence (N steps / M ms) with a fake clock, the TAESD decoder (architecture,
// key names, loading by name, forward against a step-by-step reference, refused pickles, the
// folder lookup), the renderer, and the tiled VAE decode against the plain one.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <QTemporaryDir>
#include <QTest>

#include "celerity/Error.h"
#include "common/GoldenSupport.h"
#include "io/SafetensorsFile.h"
#include "io/ShapeMap.h"
#include "models/common/WeightLoader.h"
#include "models/taesd/TaesdDecoder.h"
#include "models/vae/TiledVaeDecode.h"
#include "models/vae/Vae.h"
#include "pipeline/LoadedModel.h"
#include "runtime/LatentPreview.h"
#include "runtime/PreviewRenderer.h"
#include "runtime/PreviewThrottle.h"

using celerity::CelerityError;
using celerity::ErrorCode;
using celerity::ModelFamily;
using celerity::PreviewMethod;
using celerity::RgbPreview;

namespace {

// The factors (rows: latent channels; columns R, G, B), typed in again here.
const double kSd1[4][3] = {{.3512, .2297, .3227}, {.3250, .4974, .2350},
                           {-.2829, .1762, .2721}, {-.2120, -.2616, -.7177}};
const double kSdxl[4][3] = {{.3651, .4232, .4341}, {-.2533, -.0042, .1068},
                            {.1076, .1111, -.0362}, {-.3165, -.2492, -.2188}};
const double kSdxlBias[3] = {.1084, -.0175, -.0011};

// A1111: x·0.5 + 0.5, clamp to [0, 1], ×255, truncating cast.
int expectedByte(double x) {
  const double unit = std::min(1.0, std::max(0.0, x * 0.5 + 0.5));
  return static_cast<int>(unit * 255.0);
}

// The [1, 4, h, w] latent whose pixel (x, y) holds `values[y][x]`.
at::Tensor latentOf(const std::vector<std::vector<std::vector<float>>>& values) {
  const auto h = static_cast<std::int64_t>(values.size());
  const auto w = static_cast<std::int64_t>(values[0].size());
  auto latent = at::zeros({1, 4, h, w});
  for (std::int64_t y = 0; y < h; ++y) {
    for (std::int64_t x = 0; x < w; ++x) {
      for (std::int64_t c = 0; c < 4; ++c) latent[0][c][y][x] = values[y][x][c];
    }
  }
  return latent;
}

int byteAt(const RgbPreview& p, int x, int y, int c) { return p.rgb[(y * p.width + x) * 3 + c]; }

// --- a minimal safetensors writer: 8-byte LE header length, JSON header, F32 data ---
void writeSafetensors(const std::string& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors) {
  std::string header = "{";
  std::string data;
  for (const auto& [name, value] : tensors) {
    const auto t = value.to(at::kFloat).contiguous();
    std::string shape = "[";
    for (std::int64_t i = 0; i < t.dim(); ++i) shape += (i ? "," : "") + std::to_string(t.size(i));
    shape += "]";
    const auto begin = data.size();
    data.append(reinterpret_cast<const char*>(t.data_ptr<float>()), t.numel() * sizeof(float));
    header += (header.size() > 1 ? "," : "") + std::string("\"") + name + "\":{\"dtype\":\"F32\",\"shape\":" +
              shape + ",\"data_offsets\":[" + std::to_string(begin) + "," + std::to_string(data.size()) + "]}";
  }
  header += "}";
  while (header.size() % 8 != 0) header += ' ';
  std::ofstream out(path, std::ios::binary);
  std::uint64_t length = header.size();
  for (int i = 0; i < 8; ++i) out.put(static_cast<char>((length >> (8 * i)) & 0xff));
  out << header << data;
}

// Seeded weights for every tensor of a freshly built TAESD decoder, by its own names.
std::vector<std::pair<std::string, at::Tensor>> syntheticTaesdWeights(const std::string& prefix = "") {
  celerity::TaesdDecoder decoder;
  at::manual_seed(1234);
  std::vector<std::pair<std::string, at::Tensor>> tensors;
  for (const auto& [name, value] : celerity::namedTensors(*decoder)) {
    const double fanIn = value.dim() > 1 ? static_cast<double>(value.numel() / value.size(0)) : 10.0;
    tensors.emplace_back(prefix + name, at::randn(value.sizes()) / std::sqrt(fanIn));
  }
  return tensors;
}

// The TAESD decoder computed step by step from a name → tensor map, as the Sequential runs.
at::Tensor referenceTaesd(const std::map<std::string, at::Tensor>& w, const at::Tensor& latent) {
  auto conv = [&](const at::Tensor& x, const std::string& name, bool bias) {
    return at::conv2d(x, w.at(name + ".weight"), bias ? w.at(name + ".bias") : at::Tensor(), 1, 1);
  };
  auto block = [&](const at::Tensor& x, int index) {
    const auto n = std::to_string(index) + ".conv.";
    auto y = conv(at::relu(conv(at::relu(conv(x, n + "0", true)), n + "2", true)), n + "4", true);
    return at::relu(y + x);
  };
  auto up = [](const at::Tensor& x) { return at::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2}); };
  auto x = at::relu(conv(at::tanh(latent / 3) * 3, "1", true));
  for (int i : {3, 4, 5}) x = block(x, i);
  x = conv(up(x), "7", false);
  for (int i : {8, 9, 10}) x = block(x, i);
  x = conv(up(x), "12", false);
  for (int i : {13, 14, 15}) x = block(x, i);
  x = conv(up(x), "17", false);
  x = block(x, 18);
  return conv(x, "19", true);
}

celerity::Vae loadGoldenVae(const celerity::SafetensorsFile& weights) {
  const std::string prefix = "first_stage_model.";
  celerity::Vae vae(celerity::VaeConfig::fromWeights(celerity::ShapeMap::of(weights), prefix));
  celerity::loadWeights(*vae, weights, prefix);
  return vae;
}

bool goldenAvailable() {
  return std::filesystem::exists(celerity::test::goldenPath("sd15_tiny.safetensors"));
}

}  // namespace

class TestPreviews : public QObject {
  Q_OBJECT

 private slots:
  // ---------- projection ----------
  void projectionSd1HandValues() {
    // Pixels: (0,0) channel 0 only, (1,0) channel 3 only, (2,0) zero, (0,1) mixed,
    // (1,1) saturating high, (2,1) saturating low.
    const auto latent = latentOf({{{1, 0, 0, 0}, {0, 0, 0, 1}, {0, 0, 0, 0}},
                                  {{0.5f, -0.25f, 0.75f, 0.1f}, {10, 10, 0, 0}, {-10, -10, 0, 0}}});
    const auto p = celerity::projectLatentToRgb(latent, ModelFamily::SD1);
    QCOMPARE(p.width, 3);
    QCOMPARE(p.height, 2);
    QCOMPARE(p.method, PreviewMethod::Projection);
    QCOMPARE(p.rgb.size(), std::size_t(3 * 2 * 3));
    // By hand: R = (0.3512·0.5 + 0.5)·255 = 172.278 → 172; G 0.61485·255 = 156.8 → 156; B → 168.
    QCOMPARE(byteAt(p, 0, 0, 0), 172);
    QCOMPARE(byteAt(p, 0, 0, 1), 156);
    QCOMPARE(byteAt(p, 0, 0, 2), 168);
    // Channel 3: 0.394·255 = 100.47, 0.3692·255 = 94.15, 0.14115·255 = 35.99 (truncated).
    QCOMPARE(byteAt(p, 1, 0, 0), 100);
    QCOMPARE(byteAt(p, 1, 0, 1), 94);
    QCOMPARE(byteAt(p, 1, 0, 2), 35);
    for (int c = 0; c < 3; ++c) QCOMPARE(byteAt(p, 2, 0, c), 127);  // 127.5 truncated
    const float mixed[4] = {0.5f, -0.25f, 0.75f, 0.1f};
    for (int c = 0; c < 3; ++c) {
      double v = 0;
      for (int l = 0; l < 4; ++l) v += mixed[l] * kSd1[l][c];
      QCOMPARE(byteAt(p, 0, 1, c), expectedByte(v));
      QCOMPARE(byteAt(p, 1, 1, c), 255);
      QCOMPARE(byteAt(p, 2, 1, c), 0);
    }
  }

  void projectionSdxlHandValues() {
    const auto latent = latentOf({{{1, 0, 0, 0}, {0, 0, 0, 0}}});
    const auto p = celerity::projectLatentToRgb(latent, ModelFamily::SDXL);
    // Channel 0 + bias: 0.4735, 0.4057, 0.4330 → 187.87, 179.23, 182.71.
    QCOMPARE(byteAt(p, 0, 0, 0), 187);
    QCOMPARE(byteAt(p, 0, 0, 1), 179);
    QCOMPARE(byteAt(p, 0, 0, 2), 182);
    // Bias alone: 0.5542, 0.49125, 0.49945 → 141.3, 125.3, 127.4.
    QCOMPARE(byteAt(p, 1, 0, 0), 141);
    QCOMPARE(byteAt(p, 1, 0, 1), 125);
    QCOMPARE(byteAt(p, 1, 0, 2), 127);
  }

  // Random latents against the double-precision formula: every byte within one (float
  // rounding at a boundary), nearly all exact; layout is row-major HWC.
  void projectionMatchesFormula() {
    at::manual_seed(7);
    const auto latent = at::randn({2, 4, 5, 7}) * 1.5;
    for (const auto family : {ModelFamily::SD1, ModelFamily::SDXL}) {
      const auto p = celerity::projectLatentToRgb(latent, family);
      QCOMPARE(p.width, 7);
      QCOMPARE(p.height, 5);
      int exact = 0, total = 0;
      for (int y = 0; y < 5; ++y) {
        for (int x = 0; x < 7; ++x) {
          for (int c = 0; c < 3; ++c) {
            double v = family == ModelFamily::SDXL ? kSdxlBias[c] : 0.0;
            for (int l = 0; l < 4; ++l) {
              v += latent[0][l][y][x].item<double>() * (family == ModelFamily::SDXL ? kSdxl : kSd1)[l][c];
            }
            const int diff = std::abs(byteAt(p, x, y, c) - expectedByte(v));
            QVERIFY2(diff <= 1, "projection byte off by more than one");
            exact += diff == 0;
            ++total;
          }
        }
      }
      QVERIFY(exact >= total - 2);
    }
  }

  void projectionFirstImageAndShapes() {
    at::manual_seed(3);
    const auto batch = at::randn({3, 4, 4, 6});
    const auto fromBatch = celerity::projectLatentToRgb(batch, ModelFamily::SD1);
    const auto fromSingle = celerity::projectLatentToRgb(batch[0], ModelFamily::SD1);
    const auto fromHalf = celerity::projectLatentToRgb(batch.to(at::kDouble), ModelFamily::SD1);
    QCOMPARE(fromBatch.rgb, fromSingle.rgb);
    QCOMPARE(fromBatch.rgb, fromHalf.rgb);
    QVERIFY(fromBatch.rgb != celerity::projectLatentToRgb(batch[1], ModelFamily::SD1).rgb);
    QVERIFY_THROWS_EXCEPTION(CelerityError,
                             celerity::projectLatentToRgb(at::zeros({1, 3, 4, 4}), ModelFamily::SD1));
    QVERIFY_THROWS_EXCEPTION(CelerityError,
                             celerity::projectLatentToRgb(at::zeros({4, 4}), ModelFamily::SD1));
    QVERIFY_THROWS_EXCEPTION(CelerityError,
                             celerity::projectLatentToRgb(at::zeros({1, 4, 4, 4}), ModelFamily::Unknown));
  }

  void byteMapping() {
    // Signed images ([-1, 1], the VAE's): −1 → 0, 1 → 255, 0 → 127, beyond → clamped, NaN → 0.
    auto image = at::zeros({1, 3, 1, 6});
    const float values[6] = {-1.0f, 1.0f, 0.0f, 3.0f, -3.0f, std::nanf("")};
    for (int x = 0; x < 6; ++x) image[0][0][0][x] = values[x];
    const auto s = celerity::signedImageToRgb(image);
    const int expected[6] = {0, 255, 127, 255, 0, 0};
    for (int x = 0; x < 6; ++x) QCOMPARE(byteAt(s, x, 0, 0), expected[x]);
    // Unit images ([0, 1], TAESD's): 0.5 → 127, 1 → 255, 0.999 → 254 (truncation).
    auto unit = at::zeros({3, 1, 3});
    unit[0][0][0] = 0.5f;
    unit[0][0][1] = 1.0f;
    unit[0][0][2] = 0.999f;
    const auto u = celerity::unitImageToRgb(unit);
    QCOMPARE(byteAt(u, 0, 0, 0), 127);
    QCOMPARE(byteAt(u, 1, 0, 0), 255);
    QCOMPARE(byteAt(u, 2, 0, 0), 254);
  }

  // Measured, not asserted (no timed tests): the budget is ≤ 2 % of sampling time.
  void projectionCost() {
    at::manual_seed(11);
    const auto latent = at::randn({1, 4, 64, 64});
    std::size_t bytes = 0;
    for (int i = 0; i < 5; ++i) bytes += celerity::projectLatentToRgb(latent, ModelFamily::SDXL).rgb.size();
    const int runs = 200;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < runs; ++i) bytes += celerity::projectLatentToRgb(latent, ModelFamily::SDXL).rgb.size();
    const double us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / runs;
    qInfo("projectLatentToRgb [1,4,64,64] on CPU: %.1f us per call (mean of %d)", us, runs);
    QCOMPARE(bytes, std::size_t(205) * 64 * 64 * 3);
  }

  // ---------- throttle ----------
  void throttleEveryNSteps() {
    double now = 0;
    celerity::PreviewThrottle throttle(3, 200, /*throttleOn=*/false, [&] { return now; });
    std::vector<int> shown;
    for (int step = 1; step <= 10; ++step) {
      if (throttle.shouldPreview(step)) shown.push_back(step);
    }
    QCOMPARE(shown, (std::vector<int>{3, 6, 9}));  // step 1 is not a multiple of 3; last not forced
    celerity::PreviewThrottle everyStep(1, 200, false, [&] { return now; });
    for (int step = 1; step <= 4; ++step) QVERIFY(everyStep.shouldPreview(step));
    celerity::PreviewThrottle off(0, 0, false, [&] { return now; });
    for (int step = 1; step <= 4; ++step) QVERIFY(!off.shouldPreview(step));
  }

  void throttleMinInterval() {
    double now = 0;
    int clockReads = 0;
    celerity::PreviewThrottle throttle(1, 200, /*throttleOn=*/true, [&] {
      ++clockReads;
      return now;
    });
    std::vector<int> shown;
    for (int step = 1; step <= 12; ++step) {  // a step every 70 ms
      now = (step - 1) * 70.0;
      if (throttle.shouldPreview(step)) shown.push_back(step);
    }
    // t = 0 (step 1), 210 (step 4), 420 (step 7), 630 (step 10).
    QCOMPARE(shown, (std::vector<int>{1, 4, 7, 10}));
    QCOMPARE(throttle.previewsAllowed(), 4);
    QCOMPARE(clockReads, 12);
    // Exactly M ms later is allowed.
    celerity::PreviewThrottle edge(1, 200, true, [&] { return now; });
    now = 1000;
    QVERIFY(edge.shouldPreview(1));
    now = 1199.9;
    QVERIFY(!edge.shouldPreview(2));
    now = 1200;
    QVERIFY(edge.shouldPreview(3));
    // reset(): the next preview is not held back.
    now = 1201;
    QVERIFY(!edge.shouldPreview(4));
    edge.reset();
    QVERIFY(edge.shouldPreview(5));
  }

  void throttleCombinedAndOff() {
    double now = 0;
    // N = 2 and M = 100 ms, steps 40 ms apart: cadence allows 2, 4, 6, 8, 10 at t = 40, 120,
    // 200, 280, 360; the interval keeps 2 (40), 6 (200), 10 (360) and rejects 4 and 8.
    celerity::PreviewThrottle on(2, 100, true, [&] { return now; });
    celerity::PreviewThrottle off(2, 100, false, [&] { return now; });
    std::vector<int> shownOn, shownOff;
    for (int step = 1; step <= 10; ++step) {
      now = (step - 1) * 40.0;
      if (on.shouldPreview(step)) shownOn.push_back(step);
      if (off.shouldPreview(step)) shownOff.push_back(step);
    }
    QCOMPARE(shownOn, (std::vector<int>{2, 6, 10}));
    QCOMPARE(shownOff, (std::vector<int>{2, 4, 6, 8, 10}));
    // The default clock is the steady clock: consecutive readings never go back.
    const double a = celerity::PreviewThrottle::steadyNowMs();
    QVERIFY(celerity::PreviewThrottle::steadyNowMs() >= a);
  }

  // ---------- TAESD ----------
  void taesdArchitecture() {
    celerity::TaesdDecoder decoder;
    // madebyollin/taesd README: 1,222,531 decoder parameters.
    QCOMPARE(celerity::parameterCount(*decoder), std::int64_t(1222531));
    std::vector<std::string> names;
    for (const auto& item : celerity::namedTensors(*decoder)) names.push_back(item.first);
    QCOMPARE(names.size(), std::size_t(2 + 10 * 6 + 3 + 2));
    const auto has = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
    for (const char* n : {"1.weight", "1.bias", "3.conv.0.weight", "3.conv.4.bias", "7.weight",
                          "12.weight", "17.weight", "18.conv.2.weight", "19.weight", "19.bias"}) {
      QVERIFY2(has(n), n);
    }
    for (const char* n : {"7.bias", "12.bias", "17.bias", "3.skip.weight", "0.weight", "2.weight"}) {
      QVERIFY2(!has(n), n);
    }
  }

  void taesdLoadsByNameAndDecodes() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto weights = syntheticTaesdWeights();
    const std::string path = dir.filePath("taesd_decoder.safetensors").toStdString();
    writeSafetensors(path, weights);
    auto decoder = celerity::loadTaesdDecoder(path);
    std::map<std::string, at::Tensor> byName(weights.begin(), weights.end());
    for (const auto& [name, value] : celerity::namedTensors(*decoder)) {
      QVERIFY2(at::equal(value, byName.at(name)), name.c_str());
    }
    at::manual_seed(5);
    const auto latent = at::randn({1, 4, 8, 8}) * 2;
    const auto image = decoder->decode(latent);
    QCOMPARE(image.sizes().vec(), (std::vector<std::int64_t>{1, 3, 64, 64}));
    QVERIFY(image.min().item<float>() >= 0.0f);
    QVERIFY(image.max().item<float>() <= 1.0f);
    const auto reference = referenceTaesd(byName, latent);
    const auto raw = decoder->forward(latent);
    QVERIFY(at::allclose(raw, reference, 1e-5, 1e-5));
    QVERIFY(at::equal(image, reference.clamp(0, 1)) || at::allclose(image, reference.clamp(0, 1), 1e-5, 1e-5));
    QVERIFY(raw.std().item<float>() > 0);  // not a constant picture

    // The same state dict under "decoder." (a full TAESD file) loads too.
    const std::string prefixed = dir.filePath("full.safetensors").toStdString();
    writeSafetensors(prefixed, syntheticTaesdWeights("decoder."));
    QVERIFY(at::equal(celerity::loadTaesdDecoder(prefixed)->forward(latent), raw));
    // A file of something else: WeightMismatch.
    const std::string other = dir.filePath("other.safetensors").toStdString();
    writeSafetensors(other, {{"encoder.0.weight", at::zeros({2, 2})}});
    try {
      celerity::loadTaesdDecoder(other);
      QFAIL("a file without TAESD keys loaded");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::WeightMismatch);
    }
  }

  void taesdRefusesPickles() {
    QTemporaryDir dir;
    const std::string pth = dir.filePath("taesd_decoder.pth").toStdString();
    std::ofstream(pth, std::ios::binary) << "\x80\x02}q\x00.";
    for (const auto& path : {pth, dir.filePath("absent.pt").toStdString()}) {
      try {
        celerity::loadTaesdDecoder(path);
        QFAIL("a pickle was read");
      } catch (const CelerityError& e) {
        QCOMPARE(e.code(), ErrorCode::UnsafeFormat);
      }
    }
    // The lookup never returns the .pth, and the error says it was seen and refused.
    QVERIFY(!celerity::findTaesdDecoder(ModelFamily::SD1, {dir.path().toStdString()}));
    try {
      celerity::requireTaesdDecoder(ModelFamily::SD1, {dir.path().toStdString()});
      QFAIL("no error");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::FileNotFound);
      QVERIFY(std::string(e.what()).find("taesd_decoder.pth") != std::string::npos);
    }
  }

  void taesdLookup() {
    QTemporaryDir a, b;
    const auto folderA = a.path().toStdString(), folderB = b.path().toStdString();
    const auto xl = std::filesystem::path(folderB) / "taesdxl_decoder.safetensors";
    writeSafetensors(xl.string(), syntheticTaesdWeights());
    QCOMPARE(celerity::taesdDecoderFileName(ModelFamily::SD1), std::string("taesd_decoder.safetensors"));
    QCOMPARE(celerity::findTaesdDecoder(ModelFamily::SDXL, {folderA, folderB}).value(), xl);
    QVERIFY(!celerity::findTaesdDecoder(ModelFamily::SD1, {folderA, folderB}));
    try {
      celerity::requireTaesdDecoder(ModelFamily::SD1, {folderA, folderB});
      QFAIL("missing file found");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::FileNotFound);
      const std::string message = e.what();
      QVERIFY2(message.find(folderA) != std::string::npos, message.c_str());
      QVERIFY2(message.find(folderB) != std::string::npos, message.c_str());
      QVERIFY2(message.find("taesd_decoder.safetensors") != std::string::npos, message.c_str());
    }
    QVERIFY_THROWS_EXCEPTION(CelerityError, celerity::findTaesdDecoder(ModelFamily::Unknown, {folderA}));
  }

  // ---------- renderer ----------
  void rendererProjectionAndTaesd() {
    QTemporaryDir dir;
    writeSafetensors(dir.filePath("taesd_decoder.safetensors").toStdString(), syntheticTaesdWeights());
    at::manual_seed(9);
    const auto denoised = at::randn({2, 4, 8, 8});

    celerity::PreviewRenderer renderer({"/nonexistent-folder", dir.path().toStdString()});
    const auto projection = renderer.render(PreviewMethod::Projection, ModelFamily::SD1, denoised);
    QCOMPARE(projection.method, PreviewMethod::Projection);
    QCOMPARE(projection.rgb, celerity::projectLatentToRgb(denoised, ModelFamily::SD1).rgb);

    const auto taesd = renderer.render(PreviewMethod::Taesd, ModelFamily::SD1, denoised);
    QCOMPARE(taesd.method, PreviewMethod::Taesd);
    QCOMPARE(taesd.width, 64);
    QCOMPARE(taesd.height, 64);
    QCOMPARE(renderer.loadedDecoders(), std::size_t(1));
    auto& decoder = renderer.taesd(ModelFamily::SD1, at::kFloat, at::kCPU);
    QCOMPARE(taesd.rgb, celerity::unitImageToRgb(decoder->decode(denoised.narrow(0, 0, 1))).rgb);
    renderer.render(PreviewMethod::Taesd, ModelFamily::SD1, denoised);
    QCOMPARE(renderer.loadedDecoders(), std::size_t(1));  // kept, not reloaded

    // No SDXL decoder there: falls back to the projection (and says so) …
    const auto fallback = renderer.render(PreviewMethod::Taesd, ModelFamily::SDXL, denoised);
    QCOMPARE(fallback.method, PreviewMethod::Projection);
    QCOMPARE(fallback.width, 8);
    // … or, without fallback, fails with the folders listed.
    celerity::PreviewRenderer strict({dir.path().toStdString()}, /*fallbackToProjection=*/false);
    try {
      strict.render(PreviewMethod::Taesd, ModelFamily::SDXL, denoised);
      QFAIL("missing decoder rendered");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::FileNotFound);
      QVERIFY(std::string(e.what()).find(dir.path().toStdString()) != std::string::npos);
    }
    QVERIFY_THROWS_EXCEPTION(CelerityError, renderer.render(PreviewMethod::None, ModelFamily::SD1, denoised));
    QVERIFY_THROWS_EXCEPTION(CelerityError, renderer.render(PreviewMethod::FullVae, ModelFamily::SD1, denoised));
  }

  void rendererFullVae() {
    if (!goldenAvailable()) QSKIP("golden folder absent");
    auto model = celerity::LoadedModel::fromCheckpoint(celerity::test::goldenPath("sd15_tiny.safetensors"));
    at::manual_seed(13);
    const auto denoised = at::randn({2, 4, 8, 8});
    celerity::PreviewRenderer renderer;
    const auto preview = renderer.render(PreviewMethod::FullVae, *model, denoised);
    QCOMPARE(preview.method, PreviewMethod::FullVae);
    QCOMPARE(preview.width, 64);
    QCOMPARE(preview.height, 64);
    const auto image = model->vae()->decode(denoised.narrow(0, 0, 1) / model->scaleFactor());
    QCOMPARE(preview.rgb, celerity::signedImageToRgb(image).rgb);
    // The event form carries the same picture.
    celerity::PreviewSettings settings;
    settings.method = PreviewMethod::Projection;
    const auto event = renderer.render(denoised, settings, *model);
    QCOMPARE(event.method, PreviewMethod::Projection);
    QCOMPARE(event.rgb, celerity::projectLatentToRgb(denoised, ModelFamily::SD1).rgb);
  }

  // ---------- tiled VAE decode ----------
  void tileStartsCoverAndOverlap() {
    QCOMPARE(celerity::tileStarts(40, 64, 8), (std::vector<std::int64_t>{0}));
    QCOMPARE(celerity::tileStarts(64, 64, 8), (std::vector<std::int64_t>{0}));
    for (std::int64_t length : {65, 100, 128, 129, 200, 333}) {
      const auto starts = celerity::tileStarts(length, 64, 8);
      QCOMPARE(starts.front(), std::int64_t(0));
      QCOMPARE(starts.back(), length - 64);
      for (std::size_t k = 1; k < starts.size(); ++k) {
        QVERIFY(starts[k] > starts[k - 1]);
        QVERIFY(starts[k - 1] + 64 - starts[k] >= 8);  // overlap at least as asked
      }
    }
    QCOMPARE(celerity::tileStarts(100, 64, 8).size(), std::size_t(2));
    QVERIFY_THROWS_EXCEPTION(CelerityError, celerity::tileStarts(100, 8, 8));
    QVERIFY_THROWS_EXCEPTION(CelerityError, celerity::tileStarts(100, 0, 0));
  }

  void tiledDecodeMatchesPlain() {
    if (!goldenAvailable()) QSKIP("golden folder absent");
    const auto file = celerity::SafetensorsFile::open(celerity::test::goldenPath("sd15_tiny.safetensors"));
    auto vae = loadGoldenVae(*file);
    at::manual_seed(21);

    // Fits in one tile: the very same computation.
    const auto small = at::randn({1, 4, 12, 10});
    QVERIFY(at::equal(celerity::decodeTiled(vae, small), vae->decode(small)));
    QVERIFY(at::equal(celerity::latentToImageTiled(vae, small * 0.18215), vae->latentToImage(small * 0.18215)));

    // 3 × 2 tiles of 16 with overlap 6 over a 36 × 24 latent: rows start at 0, 10, 20,
    // columns at 0, 8.
    const auto large = at::randn({2, 4, 36, 24});
    QCOMPARE(celerity::tileStarts(36, 16, 6), (std::vector<std::int64_t>{0, 10, 20}));
    QCOMPARE(celerity::tileStarts(24, 16, 6), (std::vector<std::int64_t>{0, 8}));
    const auto tiled = celerity::decodeTiled(vae, large, 16, 6);
    const auto plain = vae->decode(large);
    QCOMPARE(tiled.sizes().vec(), plain.sizes().vec());
    QCOMPARE(tiled.scalar_type(), plain.scalar_type());
    QVERIFY(at::isfinite(tiled).all().item<bool>());

    // Where only the first tile lies (latent rows 0–9, columns 0–7) the output is that tile's
    // own decode; where exactly two tiles overlap (rows 10–15, columns 0–7) it is a blend of
    // the two: between them, and moving from the first to the second.
    const auto first = vae->decode(large.narrow(2, 0, 16).narrow(3, 0, 16).contiguous());
    const auto second = vae->decode(large.narrow(2, 10, 16).narrow(3, 0, 16).contiguous());
    QVERIFY(at::equal(tiled.narrow(2, 0, 80).narrow(3, 0, 64), first.narrow(2, 0, 80).narrow(3, 0, 64)));
    const auto a = first.narrow(2, 80, 48).narrow(3, 0, 64);
    const auto b = second.narrow(2, 0, 48).narrow(3, 0, 64);
    const auto blended = tiled.narrow(2, 80, 48).narrow(3, 0, 64);
    QVERIFY((blended >= at::minimum(a, b) - 1e-5).all().item<bool>());
    QVERIFY((blended <= at::maximum(a, b) + 1e-5).all().item<bool>());
    const auto firstRow = blended.narrow(2, 0, 1), lastRow = blended.narrow(2, 47, 1);
    QVERIFY((firstRow - a.narrow(2, 0, 1)).abs().max().item<double>() <
            (firstRow - b.narrow(2, 0, 1)).abs().max().item<double>() + 1e-6);
    QVERIFY((lastRow - b.narrow(2, 47, 1)).abs().max().item<double>() <
            (lastRow - a.narrow(2, 47, 1)).abs().max().item<double>() + 1e-6);

    // Against the whole decode: reported, and loosely bounded. The tiny random VAE's GroupNorm
    // statistics and mid-block attention see one tile instead of the picture, so it differs
    // more than a real VAE would; it must still be the same picture (strongly correlated).
    for (const auto& [tile, overlap] : std::vector<std::pair<int, int>>{{16, 6}, {24, 8}, {32, 8}}) {
      const auto out = celerity::decodeTiled(vae, large, tile, overlap);
      const auto diff = (out - plain).abs();
      const double correlation =
          at::corrcoef(at::stack({out.flatten(), plain.flatten()}))[0][1].item<double>();
      qInfo("tiled (tile %d, overlap %d) vs plain decode of a [2,4,36,24] latent, sd15_tiny VAE: "
            "max |diff| %.4g, mean |diff| %.4g, mean |plain| %.4g, max |plain| %.4g, correlation %.4f",
            tile, overlap, diff.max().item<double>(), diff.mean().item<double>(),
            plain.abs().mean().item<double>(), plain.abs().max().item<double>(), correlation);
      QVERIFY2(correlation > 0.9, "tiled decode is not the same picture as the plain one");
    }
  }
};

QTEST_APPLESS_MAIN(TestPreviews)
#include "tst_previews.moc"
