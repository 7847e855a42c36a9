// The image operations of img2img, inpainting and hires fix: conversions with A1111's
// arithmetic, resize modes, masks, crop regions, paste-back, latent resizing, file loading.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <QTemporaryDir>
#include <QTest>

#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#endif

#include "celerity/Error.h"
#include "common/GoldenSupport.h"
#include "imaging/CropRegion.h"
#include "imaging/ImageConversion.h"
#include "imaging/ImageFiles.h"
#include "imaging/InpaintMask.h"
#include "imaging/InpaintOverlay.h"
#include "imaging/InpaintPreparation.h"
#include "imaging/LatentUpscale.h"
#include "imaging/MaskedContent.h"
#include "imaging/Resample.h"
#include "imaging/ResizeModes.h"

using namespace celerity;

namespace {

constexpr bool kWithOpenCv =
#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV
    true;
#else
    false;
#endif

// A picture whose bytes depend on position and channel.
RgbImage pattern(int w, int h) {
  RgbImage image(w, h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      auto* p = image.at(x, y);
      p[0] = static_cast<std::uint8_t>((x * 7 + y * 3) % 256);
      p[1] = static_cast<std::uint8_t>((x * 13 + 50) % 256);
      p[2] = static_cast<std::uint8_t>((y * 11 + 100) % 256);
    }
  }
  return image;
}

// A [1,1,h,w] mask that is 1 on [x1,x2) x [y1,y2).
at::Tensor rectMask(int w, int h, int x1, int y1, int x2, int y2) {
  auto m = at::zeros({1, 1, h, w});
  m.slice(3, x1, x2).slice(2, y1, y2).fill_(1.0f);
  return m;
}

bool isUniform(const RgbImage& image, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const auto* p = image.at(x, y);
      if (p[0] != r || p[1] != g || p[2] != b) return false;
    }
  }
  return true;
}

template <typename Fn>
void expectError(Fn&& fn, ErrorCode code, const std::string& needle) {
  try {
    fn();
    QFAIL("no error");
  } catch (const CelerityError& e) {
    QCOMPARE(errorCodeName(e.code()), errorCodeName(code));
    const std::string text = e.what();
    QVERIFY2(text.find(needle) != std::string::npos, text.c_str());
  }
}

// The picture size stored in a PNG (IHDR) or JPEG (SOFn) header, read without a decoder.
std::pair<int, int> headerSize(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(b.at(i)); };
  if (b.size() > 24 && b.compare(1, 3, "PNG") == 0) {
    const auto be32 = [&](std::size_t i) {
      return (byte(i) << 24) | (byte(i + 1) << 16) | (byte(i + 2) << 8) | byte(i + 3);
    };
    return {static_cast<int>(be32(16)), static_cast<int>(be32(20))};
  }
  if (b.size() > 4 && byte(0) == 0xFF && byte(1) == 0xD8) {
    std::size_t i = 2;
    while (i + 9 < b.size()) {
      if (byte(i) != 0xFF) return {0, 0};
      const int marker = byte(i + 1);
      const std::size_t length = (byte(i + 2) << 8) | byte(i + 3);
      const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                       marker != 0xCC;
      if (sof) return {(byte(i + 7) << 8) | byte(i + 8), (byte(i + 5) << 8) | byte(i + 6)};
      i += 2 + length;
    }
  }
  return {0, 0};
}

}  // namespace

class TestImaging : public QObject {
  Q_OBJECT

 private slots:
  // ---- conversions ----------------------------------------------------------------------

  void tensorLayoutAndRange() {
    const auto image = pattern(5, 3);
    const auto t = imageToTensor(image);
    QCOMPARE(t.sizes().vec(), (std::vector<std::int64_t>{1, 3, 3, 5}));
    QCOMPARE(t.scalar_type(), at::kFloat);
    for (int c = 0; c < 3; ++c) {
      const float expected = static_cast<float>(image.at(4, 2)[c]) / 255.0f * 2.0f - 1.0f;
      QCOMPARE(t[0][c][2][4].item<float>(), expected);
    }
    QVERIFY(t.min().item<float>() >= -1.0f && t.max().item<float>() <= 1.0f);
    QCOMPARE(imageToTensor(image, at::TensorOptions(at::kDouble)).scalar_type(), at::kDouble);
    QCOMPARE(imagesToTensor({image, image}).size(0), std::int64_t(2));
  }

  void roundTripOfEveryByte() {
    RgbImage image(256, 1);
    for (int v = 0; v < 256; ++v) {
      image.at(v, 0)[0] = static_cast<std::uint8_t>(v);
      image.at(v, 0)[1] = static_cast<std::uint8_t>(255 - v);
      image.at(v, 0)[2] = static_cast<std::uint8_t>((v * 37) % 256);
    }
    const auto t = imageToTensor(image);
    QVERIFY(tensorToImage(t, PixelRounding::Round) == image);
    QVERIFY(tensorToImages(t, PixelRounding::Round).at(0) == image);
    // A1111's decode truncates in float32: each byte comes back as the float32 formula says,
    // which is the byte itself or one less.
    const auto truncated = tensorToImage(t);
    int lower = 0;
    for (std::size_t i = 0; i < image.pixels.size(); ++i) {
      const float x = static_cast<float>(image.pixels[i]) / 255.0f * 2.0f - 1.0f;
      const float unit = std::min(std::max((x + 1.0f) / 2.0f, 0.0f), 1.0f);
      const auto expected = static_cast<std::uint8_t>(255.0f * unit);
      QCOMPARE(truncated.pixels[i], expected);
      QVERIFY(image.pixels[i] - truncated.pixels[i] <= 1);
      lower += truncated.pixels[i] != image.pixels[i];
    }
    QVERIFY(lower > 0);  // documented: A1111's truncation is lossy
    // Out-of-range decoder output is clamped.
    QVERIFY(isUniform(tensorToImage(at::full({1, 3, 2, 2}, 3.0f)), 255, 255, 255));
    QVERIFY(isUniform(tensorToImage(at::full({3, 2, 2}, -3.0f)), 0, 0, 0));
  }

  void maskConversions() {
    RgbImage gray = RgbImage::filled(3, 2, 77, 77, 77);
    const auto m = maskFromImage(gray);
    QCOMPARE(m.sizes().vec(), (std::vector<std::int64_t>{1, 1, 2, 3}));
    QCOMPARE(maskToBytes(m).max().item<float>(), 77.0f);
    // PIL luma of pure red / green / blue.
    QCOMPARE(maskToBytes(maskFromImage(RgbImage::filled(1, 1, 255, 0, 0))).item<float>(), 76.0f);
    QCOMPARE(maskToBytes(maskFromImage(RgbImage::filled(1, 1, 0, 255, 0))).item<float>(), 150.0f);
    QCOMPARE(maskToBytes(maskFromImage(RgbImage::filled(1, 1, 0, 0, 255))).item<float>(), 29.0f);
    QVERIFY(isUniform(maskToImage(m), 77, 77, 77));
    const auto b = binarizeMask(bytesToMask(at::tensor({128.0f, 129.0f}).view({1, 1, 1, 2})));
    QCOMPARE(b[0][0][0][0].item<float>(), 0.0f);
    QCOMPARE(b[0][0][0][1].item<float>(), 1.0f);
    QVERIFY(at::equal(invertMask(invertMask(m)), m));
    expectError([] { binarizeMask(at::zeros({1, 3, 2, 2})); }, ErrorCode::InvalidArgument,
                "binarizeMask");
  }

  // ---- resampling and resize modes ------------------------------------------------------

  void lanczosKeepsConstantsAndSizes() {
    const auto flat = RgbImage::filled(37, 23, 10, 128, 250);
    for (auto [w, h] : {std::pair{64, 64}, {12, 9}, {37, 100}, {200, 7}}) {
      const auto r = resampleImage(flat, w, h);
      QCOMPARE(r.width, w);
      QCOMPARE(r.height, h);
      QVERIFY(isUniform(r, 10, 128, 250));
    }
    QVERIFY(resampleImage(flat, 37, 23) == flat);
    // Downscaling by 2 with the antialiased filter averages a 1-pixel checkerboard to grey.
    RgbImage checker(64, 64);
    for (int y = 0; y < 64; ++y)
      for (int x = 0; x < 64; ++x)
        std::fill_n(checker.at(x, y), 3, static_cast<std::uint8_t>(((x + y) % 2) * 200));
    const auto small = resampleImage(checker, 16, 16);
    for (int y = 4; y < 12; ++y)
      for (int x = 4; x < 12; ++x) QVERIFY(std::abs(small.at(x, y)[0] - 100) <= 1);
  }

  void resizeModesGiveTargetSize() {
    const auto image = pattern(90, 40);
    for (auto mode : {ResizeMode::JustResize, ResizeMode::CropAndResize, ResizeMode::ResizeAndFill,
                      ResizeMode::LatentUpscale}) {
      for (auto [w, h] : {std::pair{64, 64}, {128, 32}, {33, 77}}) {
        const auto r = resizeImage(mode, image, w, h);
        QCOMPARE(r.width, w);
        QCOMPARE(r.height, h);
        QCOMPARE(resizeMask(mode, maskFromImage(image), w, h).sizes().vec(),
                 (std::vector<std::int64_t>{1, 1, h, w}));
      }
      QCOMPARE(resizeModeFromName(resizeModeName(mode)).value(), mode);
    }
    QVERIFY(!resizeModeFromName("Stretch").has_value());
    // Mode 3 keeps the init image; resize_image itself treats 3 like "Resize and fill".
    QVERIFY(resizeInitImage(ResizeMode::LatentUpscale, image, 64, 64) == image);
    QVERIFY(resizeImage(ResizeMode::LatentUpscale, image, 64, 64) ==
            resizeImage(ResizeMode::ResizeAndFill, image, 64, 64));
  }

  void cropAndResizeKeepsTheCentre() {
    // 300x100: a green square in the middle, red left, blue right. Covering 64x64 scales to
    // 192x64 and keeps x in [64, 128): the green square.
    RgbImage image(300, 100);
    for (int y = 0; y < 100; ++y) {
      for (int x = 0; x < 300; ++x) {
        auto* p = image.at(x, y);
        p[0] = x < 100 ? 255 : 0;
        p[1] = (x >= 100 && x < 200) ? 255 : 0;
        p[2] = x >= 200 ? 255 : 0;
      }
    }
    const auto r = resizeImage(ResizeMode::CropAndResize, image, 64, 64);
    for (int y = 0; y < 64; ++y) {
      for (int x = 8; x < 56; ++x) {
        const auto* p = r.at(x, y);
        QVERIFY2(p[0] == 0 && p[1] == 255 && p[2] == 0, qPrintable(QString("x=%1").arg(x)));
      }
    }
    // Just resize keeps all three colours.
    const auto squeezed = resizeImage(ResizeMode::JustResize, image, 60, 60);
    QCOMPARE(int(squeezed.at(2, 30)[0]), 255);
    QCOMPARE(int(squeezed.at(57, 30)[2]), 255);
  }

  void resizeAndFillStretchesEdges() {
    // 100x50 into 64x64: the picture becomes 64x32 at rows [16, 48); rows [0, 16) repeat a
    // blend of its first two rows (PIL's default BICUBIC on a 0-high box at the edge: weights
    // 1.125, -0.125), rows [48, 64) of its last two.
    const auto image = pattern(100, 50);
    const auto r = resizeImage(ResizeMode::ResizeAndFill, image, 64, 64);
    const auto inner = resampleImage(image, 64, 32);
    const auto clip = [](double v) { return std::min(255.0, std::max(0.0, v)); };
    for (int x = 0; x < 64; ++x) {
      for (int c = 0; c < 3; ++c) {
        for (int y = 16; y < 48; ++y) QCOMPARE(r.at(x, y)[c], inner.at(x, y - 16)[c]);
        const double top = clip(1.125 * inner.at(x, 0)[c] - 0.125 * inner.at(x, 1)[c]);
        const double bottom = clip(1.125 * inner.at(x, 31)[c] - 0.125 * inner.at(x, 30)[c]);
        for (int y = 0; y < 16; ++y) QVERIFY(std::abs(r.at(x, y)[c] - top) <= 0.5);
        for (int y = 48; y < 64; ++y) QVERIFY(std::abs(r.at(x, y)[c] - bottom) <= 0.5);
      }
    }
    // A tall picture gets side bands; a flat colour stays flat, bands included.
    QVERIFY(isUniform(resizeImage(ResizeMode::ResizeAndFill, RgbImage::filled(20, 80, 9, 99, 199),
                                  64, 64),
                      9, 99, 199));
  }

  void upscalers() {
    const auto image = pattern(40, 30);
    const auto up = upscaleImage(image, 2.5);
    QCOMPARE(up.width, 100);
    QCOMPARE(up.height, 75);
    const auto to = upscaleImageTo(image, 84, 60);
    QCOMPARE(to.width, 84);
    QCOMPARE(to.height, 60);
    QVERIFY(upscaleImageTo(image, 40, 30) == image);
    expectError([&] { upscaleImage(image, 0.0); }, ErrorCode::InvalidArgument, "upscaleImage");
  }

  // ---- masks ----------------------------------------------------------------------------

  void maskBlurIsSymmetricAndKeepsMass() {
    QCOMPARE(maskBlurKernelSize(4), 21);
    QCOMPARE(maskBlurKernelSize(1), 7);
    const auto m = rectMask(65, 65, 24, 24, 41, 41);
    const auto blurred = blurMask(m, 4, 4);
    QCOMPARE(blurred.sizes(), m.sizes());
    QVERIFY(at::equal(blurred, blurred.flip({3})));
    QVERIFY(at::equal(blurred, blurred.flip({2})));
    // x then y with 8-bit rounding between: the transpose agrees to one step.
    QVERIFY((blurred - blurred.transpose(2, 3)).abs().max().item<float>() <= 1.5f / 255);
    const double mass = m.sum().item<double>();
    QVERIFY(std::abs(blurred.sum().item<double>() - mass) < 0.02 * mass);
    QVERIFY(blurred[0][0][32][32].item<float>() > 0.9f);
    QVERIFY(blurred[0][0][32][20].item<float>() > 0.0f);  // spread beyond the edge
    // On the byte grid; 0 blur is the identity; one axis leaves the other alone.
    QVERIFY(at::equal(bytesToMask(maskToBytes(blurred)), blurred));
    QVERIFY(at::equal(blurMask(m, 0, 0), m));
    const auto xOnly = blurMask(m, 3, 0);
    QVERIFY(at::equal(xOnly.slice(2, 0, 24), at::zeros_like(xOnly.slice(2, 0, 24))));
    QVERIFY(at::equal(xOnly[0][0][30], xOnly[0][0][40]));
    // A mask larger than the kernel's reach on a tiny picture still works (mirrored borders).
    const auto tiny = blurMask(rectMask(3, 2, 1, 0, 2, 2), 8, 8);
    QCOMPARE(tiny.sizes().vec(), (std::vector<std::int64_t>{1, 1, 2, 3}));
    expectError([&] { blurMask(m, -1, 0); }, ErrorCode::InvalidArgument, "blurMask");
  }

  void wholePictureOverlayDoubles() {
    const auto bytes = at::tensor({0.0f, 60.0f, 127.0f, 128.0f, 255.0f}).view({1, 1, 1, 5});
    const auto m = bytesToMask(bytes);
    const auto o = maskToBytes(wholePictureOverlayMask(m));
    QCOMPARE(o[0][0][0][1].item<float>(), 120.0f);
    QCOMPARE(o[0][0][0][2].item<float>(), 254.0f);
    QCOMPARE(o[0][0][0][3].item<float>(), 255.0f);
  }

  void cropRegionOfRectangle() {
    const auto m = rectMask(100, 80, 20, 30, 40, 50);
    QVERIFY(getCropRegion(m, 0) == (CropRegion{20, 30, 40, 50}));
    QVERIFY(getCropRegion(m, 10) == (CropRegion{10, 20, 50, 60}));
    QVERIFY(getCropRegion(m, 50) == (CropRegion{0, 0, 90, 80}));
    QVERIFY(!getCropRegion(at::zeros({1, 1, 80, 100}), 8).has_value());
    const auto region = *getCropRegion(m, 10);
    QCOMPARE(region.width(), 40);
    const auto cropped = cropTensor(m, region);
    QCOMPARE(cropped.sizes().vec(), (std::vector<std::int64_t>{1, 1, 40, 40}));
    QCOMPARE(cropped.sum().item<float>(), m.sum().item<float>());
    const auto image = pattern(100, 80);
    const auto part = cropImage(image, region);
    QCOMPARE(part.width, 40);
    QVERIFY(std::equal(part.at(0, 0), part.at(0, 0) + 3, image.at(10, 20)));
    // Outside the picture PIL crops black.
    const auto outside = cropImage(image, CropRegion{-2, 0, 2, 1});
    QCOMPARE(int(outside.at(0, 0)[1]), 0);
    QVERIFY(std::equal(outside.at(2, 0), outside.at(2, 0) + 3, image.at(0, 0)));
  }

  void expandToAspectRatio() {
    // A1111's docstring: a 128x32 region for 512x512 processing grows to 128x128.
    QVERIFY(expandCropRegion({100, 200, 228, 232}, 512, 512, 1000, 1000) ==
            (CropRegion{100, 152, 228, 280}));
    // Pushed back inside at the bottom and at the top.
    QVERIFY(expandCropRegion({0, 980, 128, 1000}, 512, 512, 1000, 1000) ==
            (CropRegion{0, 872, 128, 1000}));
    QVERIFY(expandCropRegion({0, 0, 128, 32}, 512, 512, 1000, 1000) ==
            (CropRegion{0, 0, 128, 128}));
    // Tall region, wide processing: the width grows (centred) to 2:1.
    QVERIFY(expandCropRegion({400, 100, 432, 228}, 512, 256, 1000, 1000) ==
            (CropRegion{288, 100, 544, 228}));
    // Larger than the picture allows: clamped to it.
    QVERIFY(expandCropRegion({0, 0, 100, 10}, 64, 64, 100, 50) == (CropRegion{0, 0, 100, 50}));
    // Already the right ratio: unchanged.
    QVERIFY(expandCropRegion({10, 10, 74, 42}, 512, 256, 100, 100) ==
            (CropRegion{10, 10, 74, 42}));
  }

  void pasteBackWithEmptyAndFullMasks() {
    const auto original = pattern(48, 40);
    const auto generated = resampleImage(pattern(40, 48), 48, 40);
    QVERIFY(generated != original);
    QVERIFY(pasteBack(original, generated, at::zeros({1, 1, 40, 48})) == original);
    QVERIFY(pasteBack(original, generated, at::ones({1, 1, 40, 48})) == generated);
    // With a region: outside it the original stays; inside a full mask shows the result.
    const CropRegion region{8, 4, 24, 20};
    const auto patch = RgbImage::filled(16, 16, 1, 2, 3);
    QVERIFY(pasteBack(original, patch, at::zeros({1, 1, 40, 48}), region) == original);
    const auto pasted = pasteBack(original, patch, rectMask(48, 40, 8, 4, 24, 20), region);
    for (int y = 0; y < 40; ++y) {
      for (int x = 0; x < 48; ++x) {
        const bool inside = x >= 8 && x < 24 && y >= 4 && y < 20;
        const auto* expected = inside ? patch.at(x - 8, y - 4) : original.at(x, y);
        QVERIFY(std::equal(expected, expected + 3, pasted.at(x, y)));
      }
    }
    // A half mask blends.
    const auto black = RgbImage::filled(2, 2, 0, 0, 0);
    const auto gray = RgbImage::filled(2, 2, 200, 200, 200);
    const auto half = pasteBack(black, gray, at::full({1, 1, 2, 2}, 0.5f));
    QVERIFY(std::abs(half.at(1, 1)[0] - 100) <= 1);
    expectError([&] { pasteBack(original, patch, at::zeros({1, 1, 40, 48})); },
                ErrorCode::InvalidArgument, "pasteBack");
  }

  void latentMaskSizeAndRounding() {
    auto m = rectMask(64, 48, 0, 0, 32, 48);
    const auto lm = latentMask(m, 8, 6);
    QCOMPARE(lm.sizes().vec(), (std::vector<std::int64_t>{1, 1, 6, 8}));
    QVERIFY(at::equal(lm, rectMask(8, 6, 0, 0, 4, 6)));
    // A soft mask: rounding gives only 0 and 1, without it fractions on the 1/255 grid.
    const auto soft = blurMask(rectMask(64, 48, 20, 0, 44, 48), 6, 6);
    const auto rounded = latentMask(soft, 8, 6, true);
    QVERIFY(at::equal(rounded, rounded.round()));
    const auto fractional = latentMask(soft, 8, 6, false);
    QVERIFY(!at::equal(fractional, fractional.round()));
    QVERIFY(at::equal(bytesToMask(maskToBytes(fractional)), fractional));
    QVERIFY(at::equal(rounded, fractional.round()));
  }

  void fillModes() {
    for (auto fill : {InpaintFill::Fill, InpaintFill::Original, InpaintFill::LatentNoise,
                      InpaintFill::LatentNothing}) {
      QCOMPARE(inpaintFillFromName(inpaintFillName(fill)).value(), fill);
    }
    QCOMPARE(static_cast<int>(inpaintFillFromName("latent noise").value()), 2);
    // A hole in a flat picture is filled with that colour, give or take the few steps that
    // PIL's 8-bit premultiplied arithmetic drifts (PIL itself is 4 off here).
    const auto flat = RgbImage::filled(40, 30, 30, 140, 220);
    RgbImage holed = flat;
    for (int y = 10; y < 20; ++y)
      for (int x = 10; x < 30; ++x) std::fill_n(holed.at(x, y), 3, std::uint8_t(0));
    const auto filled = fillMaskedArea(holed, rectMask(40, 30, 10, 10, 30, 20));
    for (int y = 0; y < 30; ++y) {
      for (int x = 0; x < 40; ++x) {
        for (int c = 0; c < 3; ++c) QVERIFY(std::abs(filled.at(x, y)[c] - flat.at(0, 0)[c]) <= 5);
      }
    }
    // Unmasked pixels keep their colour exactly; all masked gives black, as in A1111.
    QVERIFY(std::equal(filled.at(0, 0), filled.at(0, 0) + 3, flat.at(0, 0)));
    QVERIFY(isUniform(fillMaskedArea(flat, at::ones({1, 1, 30, 40})), 0, 0, 0));
  }

  void inpaintPreparation() {
    const auto init = pattern(120, 90);
    const auto mask = rectMask(120, 90, 50, 40, 70, 60);
    InpaintSettings whole;
    whole.width = 64;
    whole.height = 48;
    auto prep = prepareInpaint(init, mask, whole);
    QVERIFY(prep.masked);
    QCOMPARE(prep.image.width, 64);
    QCOMPARE(prep.mask.sizes().vec(), (std::vector<std::int64_t>{1, 1, 48, 64}));
    QCOMPARE(prep.overlayMask.sizes(), prep.mask.sizes());
    QVERIFY(!prep.pasteRegion.has_value());
    const auto back = finishInpaint(prep, RgbImage::filled(64, 48, 0, 0, 255));
    QCOMPARE(back.width, 64);
    QVERIFY(std::equal(back.at(0, 0), back.at(0, 0) + 3, prep.overlayOriginal.at(0, 0)));
    QCOMPARE(int(back.at(36, 26)[2]), 255);

    InpaintSettings only = whole;
    only.onlyMasked = true;
    only.fill = InpaintFill::Fill;
    prep = prepareInpaint(init, mask, only);
    QVERIFY(prep.pasteRegion.has_value());
    QCOMPARE(prep.image.width, 64);
    QCOMPARE(prep.image.height, 48);
    QCOMPARE(prep.overlayMask.size(3), std::int64_t(120));
    const auto region = *prep.pasteRegion;
    QVERIFY(region.x1 <= 50 - 32 + 4 && region.x2 >= 70 + 32 - 4);
    const auto result = finishInpaint(prep, RgbImage::filled(64, 48, 255, 0, 0));
    QCOMPARE(result.width, 120);
    QVERIFY(std::equal(result.at(0, 0), result.at(0, 0) + 3, init.at(0, 0)));
    QVERIFY(result.at(60, 50)[0] >= 240);  // the blurred mask is ~0.99 at the centre

    // Blank mask with "Only masked": plain img2img.
    prep = prepareInpaint(init, at::zeros({1, 1, 90, 120}), only);
    QVERIFY(!prep.masked);
    QCOMPARE(prep.image.width, 64);

    // Resize mode 3: the picture keeps its size, masks follow A1111.
    InpaintSettings latent = whole;
    latent.resizeMode = ResizeMode::LatentUpscale;
    latent.fill = InpaintFill::Fill;
    prep = prepareInpaint(init, mask, latent);
    QCOMPARE(prep.image.width, 120);
    QCOMPARE(prep.mask.size(3), std::int64_t(64));
    QCOMPARE(prep.overlayMask.size(3), std::int64_t(120));
  }

  // ---- latents --------------------------------------------------------------------------

  void latentResizing() {
    const auto latent = at::randn({2, 4, 8, 12});
    for (auto mode : latentUpscaleModes()) {
      const auto up = upscaleLatent(latent, 192, 128, mode);
      QCOMPARE(up.sizes().vec(), (std::vector<std::int64_t>{2, 4, 16, 24}));
      QCOMPARE(latentUpscaleModeFromName(latentUpscaleModeName(mode)).value(), mode);
    }
    QCOMPARE(latentUpscaleModes().size(), std::size_t(6));
    QVERIFY(!latentUpscaleModeFromName("Lanczos").has_value());
    // "Latent" is bilinear with align_corners false; "Latent (nearest)" repeats pixels.
    const auto bilinear = upscaleLatent(latent, 192, 128, LatentUpscaleMode::Latent);
    QVERIFY(at::allclose(bilinear, at::upsample_bilinear2d(latent, {16, 24}, false)));
    const auto nearest = upscaleLatent(latent, 192, 128, LatentUpscaleMode::LatentNearest);
    QVERIFY(at::equal(nearest, latent.repeat_interleave(2, 2).repeat_interleave(2, 3)));
    // Target sizes are floored to the latent grid like A1111's `//`.
    QCOMPARE(upscaleLatent(latent, 199, 135, LatentUpscaleMode::Latent).size(3), std::int64_t(24));
    QCOMPARE(resizeInitLatent(latent, 80, 48).sizes().vec(),
             (std::vector<std::int64_t>{2, 4, 6, 10}));
    expectError([&] { upscaleLatent(latent, 4, 4, LatentUpscaleMode::Latent); },
                ErrorCode::InvalidArgument, "upscaleLatent");
  }

  // ---- files ----------------------------------------------------------------------------

  void missingFileNamesThePath() {
    const std::string path = "/nonexistent/celerity/no-such-image.png";
    expectError([&] { loadImage(path); }, ErrorCode::FileNotFound, path);
    expectError([&] { loadMask(path); }, ErrorCode::FileNotFound, path);
  }

  void goldenPhotosLoadWithTheirSize() {
    const auto folder = celerity::test::goldenPath("images");
    QVERIFY2(std::filesystem::is_directory(folder), folder.string().c_str());
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      const auto path = entry.path().string();
      const auto [w, h] = headerSize(entry.path());
      QVERIFY2(w > 0 && h > 0, path.c_str());
      if (!kWithOpenCv) {
        expectError([&] { loadImage(path); }, ErrorCode::UnsupportedFormat, path);
        ++count;
        continue;
      }
      const auto image = loadImage(path);
      QVERIFY2(image.width == w && image.height == h, path.c_str());
      QCOMPARE(image.pixels.size(), image.byteCount());
      QVERIFY2(imageToPixels(image).std().item<float>() > 5.0f, path.c_str());  // a real photo
      const auto mask = loadMask(path);
      QCOMPARE(mask.sizes().vec(), (std::vector<std::int64_t>{1, 1, h, w}));
      ++count;
    }
    QVERIFY(count > 0);
  }

  void decodesChannelsAndAlpha() {
    if (!kWithOpenCv) {
      expectError([] { decodeImage("x", "memory"); }, ErrorCode::UnsupportedFormat, "memory");
      return;
    }
#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV
    QTemporaryDir dir;
    // BGRA file: pixel 0 opaque red, pixel 1 transparent green, pixel 2 half-transparent blue.
    cv::Mat bgra(1, 3, CV_8UC4);
    bgra.at<cv::Vec4b>(0, 0) = {0, 0, 255, 255};
    bgra.at<cv::Vec4b>(0, 1) = {0, 255, 0, 0};
    bgra.at<cv::Vec4b>(0, 2) = {255, 0, 0, 128};
    const std::string withAlpha = dir.filePath("alpha.png").toStdString();
    QVERIFY(cv::imwrite(withAlpha, bgra));
    const auto flattened = loadImage(withAlpha);
    QCOMPARE(int(flattened.at(0, 0)[0]), 255);
    QCOMPARE(int(flattened.at(0, 0)[2]), 0);
    QVERIFY(std::equal(flattened.at(1, 0), flattened.at(1, 0) + 3,
                       std::vector<std::uint8_t>{255, 255, 255}.begin()));
    QCOMPARE(int(flattened.at(2, 0)[0]), 127);  // (255 * 127 + 0 * 128) / 255
    QCOMPARE(int(flattened.at(2, 0)[2]), 255);
    const auto kept = loadImage(withAlpha, ImageLoadOptions{std::nullopt});
    QCOMPARE(int(kept.at(1, 0)[1]), 255);
    QCOMPARE(int(kept.at(1, 0)[0]), 0);
    const auto alphaMask = maskToBytes(loadMask(withAlpha));
    QCOMPARE(alphaMask[0][0][0][1].item<float>(), 0.0f);
    QCOMPARE(alphaMask[0][0][0][2].item<float>(), 128.0f);
    // An opaque file: the mask is its luminance.
    cv::Mat bgr(1, 1, CV_8UC3, cv::Scalar(0, 255, 0));
    const std::string opaque = dir.filePath("green.png").toStdString();
    QVERIFY(cv::imwrite(opaque, bgr));
    QCOMPARE(maskToBytes(loadMask(opaque)).item<float>(), 150.0f);
    // Garbage bytes are a malformed file named in the error.
    const std::string junk = dir.filePath("junk.png").toStdString();
    std::ofstream(junk, std::ios::binary) << "not an image";
    expectError([&] { loadImage(junk); }, ErrorCode::MalformedFile, junk);
#endif
  }
};

QTEST_GUILESS_MAIN(TestImaging)
#include "tst_imaging.moc"
