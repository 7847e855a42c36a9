// Infotext beyond the A1111 goldens: Python number formatting, GenerationParameters round
// trips through the text, PNG writing (atomic, clear errors) and reading, output file names,
// version ordering, and malformed text that must parse without throwing.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <QTemporaryDir>
#include <QTest>

#include "celerity/Error.h"
#include "celerity/GenerationParameters.h"
#include "metadata/GenerationParametersMapping.h"
#include "metadata/InfotextParser.h"
#include "metadata/InfotextVersion.h"
#include "metadata/InfotextWriter.h"
#include "metadata/OutputNaming.h"
#include "metadata/PngTextChunks.h"
#include "metadata/PromptEmphasis.h"
#include "metadata/PythonFormat.h"

using celerity::CelerityError;
using celerity::ErrorCode;
using celerity::GenerationParameters;
namespace fs = std::filesystem;
namespace pyfmt = celerity::pyfmt;

namespace {

GenerationParameters richParameters() {
  GenerationParameters p;
  p.prompt = "first line, (detailed:1.2)\nsecond line: with a colon\n\nfourth \"quoted\"";
  p.negativePrompt = "lowres, bad hands\nsecond negative line";
  p.steps = 28;
  p.sampler = "DPM++ 2M";
  p.scheduler = "Karras";
  p.cfgScale = 6.5;
  p.seed = 3141592653LL;
  p.width = 832;
  p.height = 1216;
  p.modelHash = "6ce0161689";
  p.modelName = "my model, v2: final";
  p.vaeHash = "735e4c3a44";
  p.vaeName = "vae-ft-mse-840000-ema-pruned.safetensors";
  p.variationSeed = 987654321;
  p.variationStrength = 0.35;
  p.seedResizeFrom = celerity::ImageSize{768, 512};
  p.clipSkip = 2;
  p.ensd = 31337;
  p.tokenMergingRatio = 0.3;
  p.tokenMergingRatioHires = 0.5;
  p.rng = "CPU";
  p.faceRestoration = "CodeFormer";
  p.tiling = true;
  celerity::HiresParameters hires;
  hires.resize = celerity::ImageSize{1664, 2432};
  hires.upscaler = "R-ESRGAN 4x+";
  hires.steps = 15;
  hires.denoisingStrength = 0.45;
  hires.sampler = "Euler";
  hires.scheduler = "Exponential";
  hires.checkpoint = "other.safetensors [abcdef]";
  hires.prompt = "hires prompt, \"sharp\" eyes";
  hires.negativePrompt = "blurry";
  p.hires = hires;
  p.loraHashes = "add_detail: 7c6bad76eb54, epi_noiseoffset2: d1131f7207d6";
  p.tiHashes = "EasyNegative: c74b4e810b03";
  p.emphasis = "No norm";
  p.version = "v1.10.1";
  p.user = "someone";
  p.extra = {{"ADetailer model", "face_yolov8n.pt"},
             {"ADetailer prompt", "a \"smiling\" face, detailed eyes"},
             {"ADetailer confidence", "0.3"},
             {"Wildcard prompt", "value with\nnewline"},
             {"Unicode", "кошка, собака"},
             {"Backslash", "C:\\path\\to\\file"}};
  return p;
}

std::vector<std::uint8_t> gradient(int width, int height) {
  std::vector<std::uint8_t> rgb(std::size_t(width) * height * 3);
  for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<std::uint8_t>(i * 13);
  return rgb;
}

std::vector<std::string> folderEntries(const QTemporaryDir& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir.path().toStdString())) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

class TestInfotext : public QObject {
  Q_OBJECT

 private slots:
  void pythonFloatRepr() {
    const std::vector<std::pair<double, std::string>> cases = {
        {7.0, "7.0"},
        {7.5, "7.5"},
        {0.1, "0.1"},
        {0.1 + 0.2, "0.30000000000000004"},
        {1e-5, "1e-05"},
        {0.0001, "0.0001"},
        {1e16, "1e+16"},
        {1e15, "1000000000000000.0"},
        {-0.0, "-0.0"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {1.5e-7, "1.5e-07"},
        {123456789012345678.0, "1.2345678901234568e+17"},
        {-2.5, "-2.5"},
        {2.0 / 3.0, "0.6666666666666666"},
        {1e22, "1e+22"}};
    for (const auto& [value, expected] : cases) QCOMPARE(pyfmt::reprFloat(value), expected);
    QCOMPARE(pyfmt::str(pyfmt::PyValue(7LL)), std::string("7"));
    QCOMPARE(pyfmt::str(pyfmt::PyValue(true)), std::string("True"));
  }

  void quoteAndJson() {
    QCOMPARE(pyfmt::quote(std::string("plain text")), std::string("plain text"));
    QCOMPARE(pyfmt::quote(std::string("a\x01\tb, c")), std::string("\"a\\u0001\\tb, c\""));
    QCOMPARE(pyfmt::unquote(pyfmt::quote(std::string("x: \"y\"\\z\n"))),
             std::string("x: \"y\"\\z\n"));
    QCOMPARE(pyfmt::unquote("\"\\ud83d\\ude00\""), std::string("\xF0\x9F\x98\x80"));
    QCOMPARE(pyfmt::unquote("\"a\" \"b\""), std::string("\"a\" \"b\""));      // extra data
    QCOMPARE(pyfmt::unquote("\"tab\there\""), std::string("\"tab\there\""));  // strict
  }

  void writerRules() {
    celerity::InfotextFields f;
    f.prompt = "  p  ";
    f.set("Steps", 20LL);
    f.set("Unset", {});
    f.set("Flag", std::string("Flag"));
    f.set("Steps", 30LL);  // keeps its first position
    f.set("Ratio", 0.5);
    // strip() applies to the whole text only.
    QCOMPARE(celerity::writeInfotext(f), std::string("p  \nSteps: 30, Flag, Ratio: 0.5"));
  }

  void roundTripRich() {
    const auto p = richParameters();
    const std::string text = celerity::toInfotext(p);
    const auto back = celerity::fromInfotext(text);
    QVERIFY2(back == p, text.c_str());
    QCOMPARE(celerity::toInfotext(back), text);
  }

  // Fixed keys in create_infotext order, then the extra parameters, then Version and User.
  void fixedKeyOrder() {
    const auto keys = celerity::toInfotextFields(richParameters()).params.keys();
    const auto& fixed = celerity::kInfotextFixedKeys;
    std::size_t lastFixed = 0;
    bool seenExtra = false;
    for (std::size_t i = 0; i + 2 < keys.size(); ++i) {
      const auto it = std::find(fixed.begin(), fixed.end(), keys[i]);
      if (it == fixed.end()) {
        seenExtra = true;
        continue;
      }
      QVERIFY2(!seenExtra, keys[i].c_str());
      QVERIFY2(std::size_t(it - fixed.begin()) >= lastFixed, keys[i].c_str());
      lastFixed = std::size_t(it - fixed.begin());
    }
    QCOMPARE(keys.at(keys.size() - 2), std::string("Version"));
    QCOMPARE(keys.back(), std::string("User"));
  }

  void roundTripVariants() {
    GenerationParameters minimal;
    minimal.prompt = "a cat";
    QVERIFY(celerity::fromInfotext(celerity::toInfotext(minimal)) == minimal);
    QCOMPARE(celerity::toInfotext(minimal),
             std::string("a cat\nSteps: 20, Sampler: Euler a, Schedule type: Automatic, "
                         "CFG scale: 7, Seed: -1, Size: 512x512"));

    GenerationParameters upscale = minimal;
    upscale.negativePrompt = "dog";
    upscale.hires = celerity::HiresParameters{};
    upscale.hires->upscale = 1.5;
    upscale.hires->upscaler = "Latent";
    upscale.denoisingStrength.reset();
    QVERIFY(celerity::fromInfotext(celerity::toInfotext(upscale)) == upscale);

    GenerationParameters img2img = minimal;
    img2img.denoisingStrength = 0.75;
    img2img.seedResizeFrom = celerity::ImageSize{640, 480};
    QVERIFY(celerity::fromInfotext(celerity::toInfotext(img2img)) == img2img);
  }

  void parseOrderAndDefaults() {
    const auto parsed = celerity::parseInfotextDetailed(
        "p\nSteps: 20, Sampler: Euler, Seed: 1, Size: 64x32, Foo-1: 3, Pair: 3x4");
    QCOMPARE(parsed.params.get("Size-1"), pyfmt::PyValue(std::string("64")));
    QVERIFY(parsed.isFilledIn("Clip skip"));
    QVERIFY(!parsed.isFilledIn("Steps"));
    const auto p = celerity::fromParsedInfotext(parsed);
    QCOMPARE(p.width, 64);
    QCOMPARE(p.height, 32);
    QCOMPARE(p.extra.size(), std::size_t(2));
    QCOMPARE(p.extra[0].first, std::string("Foo-1"));
    QCOMPARE(p.extra[1], (std::pair<std::string, std::string>("Pair", "3x4")));
  }

  void garbageParsesWithoutThrowing() {
    const std::vector<std::string> samples = {
        "",
        "\n\n\n",
        ":::",
        "\"",
        "a: \"",
        "a: , b: , c: ",
        "\xff\xfe\x80 broken utf8",
        std::string("nul\0inside, a: 1, b: 2, c: 3", 28),
        "Size: 0x0, First pass size: 0x0, Steps: 1",
        "Size: 99999999999999999999999x1, First pass size: 0x0, Hires resize: 1x1",
        "(((((\\",
        "[a:b:0.5] ((a:1.2.3)) BREAK (BREAK) \\",
        "Version: v1.2.3-, A: 1, B: 2",
        "Version: -, Refiner: x, Sampler: DDIM",
        "Hypernet: h, a: b, c: d",
        "k: \"\\u12\", l: \"\\ud800\", m: \"\\x\"",
        std::string(5000, ','),
        "Negative prompt:\nNegative prompt: again\nSteps: 1, a: 2, b: 3"};
    for (const auto& text : samples) {
      try {
        celerity::parseInfotext(text);
        celerity::fromInfotext(text);
        celerity::parseInfotext(text, {true, true, "Ignore", {"Prompt"}});
      } catch (const std::exception& e) {
        QFAIL((std::string("threw on ") + text + ": " + e.what()).c_str());
      }
    }
    // Random text over the characters that matter to the grammar.
    const std::string alphabet = "ab1x:,\"\\ \n\r\t-/()[]BREAK.+_\xd0\xba\xc3\xa9";
    std::mt19937 random(1234);
    for (int i = 0; i < 3000; ++i) {
      std::string text;
      const int length = static_cast<int>(random() % 80);
      for (int k = 0; k < length; ++k) text += alphabet[random() % alphabet.size()];
      try {
        celerity::fromInfotext(text);
      } catch (const std::exception& e) {
        QFAIL((std::string("threw on ") + text + ": " + e.what()).c_str());
      }
    }
  }

  void versionOrdering() {
    using celerity::PythonVersion;
    const auto v = [](const char* text) { return PythonVersion::parse(text).value(); };
    QVERIFY(v("v1.10.1") > celerity::infotextVersion180HrStyles());
    QVERIFY(v("1.8.0-138") < celerity::infotextVersion180HrStyles());
    QVERIFY(v("1.0.dev1") < v("1.0a1"));
    QVERIFY(v("1.0a1") < v("1.0rc1"));
    QVERIFY(v("1.0rc1") < v("1.0"));
    QVERIFY(v("1.0") < v("1.0.post1"));
    QVERIFY(v("1.0") == v("1.0.0"));
    QVERIFY(v("1.0") < v("1.0+local"));
    QVERIFY(celerity::parseInfotextVersion("v1.7.0-133-gde03882d").value() == v("1.7.0.post133"));
    QVERIFY(!celerity::parseInfotextVersion("f2.0.1v1.10.1-previous-636-gb835f24a"));
    QVERIFY(!PythonVersion::parse("not a version"));
  }

  void emphasisDetection() {
    QVERIFY(celerity::promptUsesEmphasis("a (red:1.2) ball"));
    QVERIFY(celerity::promptUsesEmphasis("[blurry]"));
    QVERIFY(!celerity::promptUsesEmphasis("plain, text: here"));
    QVERIFY(!celerity::promptUsesEmphasis("a BREAK b"));
    QVERIFY(!celerity::promptUsesEmphasis("\\(escaped\\) (a:1.0)"));
    const auto segments = celerity::promptAttentionSegments("a BREAK b");
    QCOMPARE(segments.size(), std::size_t(3));
    QCOMPARE(segments[1].first, std::string("BREAK"));
  }

  void pngAtomicWriteAndReadBack() {
    QTemporaryDir dir;
    const fs::path path = dir.filePath("00000-1.png").toStdString();
    const std::string latin = "caf\xc3\xa9, Steps: 20";  // é: latin-1 → tEXt
    const std::string cyrillic = "\xd0\xba\xd0\xbe\xd1\x88\xd0\xba\xd0\xb0";  // → iTXt
    celerity::writePngWithParameters(path, gradient(5, 3), 5, 3, latin);
    QCOMPARE(folderEntries(dir), std::vector<std::string>{"00000-1.png"});
    QCOMPARE(celerity::readPngParameters(path).value_or(""), latin);
    QCOMPARE(celerity::listPngChunks(path).at(1).type, std::string("tEXt"));

    // Overwriting replaces the file and still leaves nothing else behind.
    celerity::writePngWithText(path, gradient(5, 3), 5, 3,
                               {{"parameters", cyrillic}, {"comment", "x"}, {"empty", ""}});
    QCOMPARE(folderEntries(dir), std::vector<std::string>{"00000-1.png"});
    const auto texts = celerity::readPngTextChunks(path);
    QCOMPARE(texts.size(), std::size_t(2));
    QCOMPARE(texts.at("parameters"), cyrillic);
    QCOMPARE(texts.at("comment"), std::string("x"));
    const auto chunks = celerity::listPngChunks(path);
    QCOMPARE(chunks.at(1).type, std::string("iTXt"));
    QCOMPARE(chunks.at(1).keyword, std::string("parameters"));
    QCOMPARE(chunks.at(2).type, std::string("tEXt"));
    QCOMPARE(chunks.at(3).type, std::string("IDAT"));

    // GenerationParameters → PNG → GenerationParameters.
    const auto parameters = richParameters();
    celerity::writePngWithParameters(path, gradient(5, 3), 5, 3, celerity::toInfotext(parameters));
    QVERIFY(celerity::fromInfotext(celerity::readPngParameters(path).value()) == parameters);
  }

  void pngErrorsNameThePath() {
    QTemporaryDir dir;
    const std::string missing = dir.filePath("no/such/folder/out.png").toStdString();
    try {
      celerity::writePngWithParameters(missing, gradient(2, 2), 2, 2, "text");
      QFAIL("no error for a missing folder");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::FileNotFound));
      QVERIFY2(std::string(e.what()).find(missing) != std::string::npos, e.what());
    }
    const std::string good = dir.filePath("out.png").toStdString();
    try {
      celerity::writePngWithParameters(good, gradient(2, 2), 3, 2, "text");
      QFAIL("no error for a wrong pixel count");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::InvalidArgument));
    }
    QVERIFY(!fs::exists(good));
    QVERIFY(folderEntries(dir).empty());

    const std::string notPng = dir.filePath("fake.png").toStdString();
    std::ofstream(notPng) << "not a png";
    try {
      celerity::readPngTextChunks(notPng);
      QFAIL("no error for a non-PNG file");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::MalformedFile));
      QVERIFY2(std::string(e.what()).find(notPng) != std::string::npos, e.what());
    }
    // A file cut short: both readers say so.
    const std::string cut = dir.filePath("cut.png").toStdString();
    celerity::writePngWithParameters(cut, gradient(4, 4), 4, 4, "text");
    fs::resize_file(cut, fs::file_size(cut) - 20);
    for (int reader = 0; reader < 2; ++reader) {
      try {
        if (reader == 0) celerity::readPngTextChunks(cut);
        if (reader == 1) celerity::listPngChunks(cut);
        QFAIL("no error for a truncated file");
      } catch (const CelerityError& e) {
        QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::MalformedFile));
        QVERIFY2(std::string(e.what()).find(cut) != std::string::npos, e.what());
      }
    }
    try {
      celerity::readPngTextChunks(dir.filePath("absent.png").toStdString());
      QFAIL("no error for a missing file");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::FileNotFound));
    }
  }

  void outputNames() {
    QTemporaryDir dir;
    const fs::path folder = dir.path().toStdString();
    QCOMPARE(celerity::nextSequenceNumber(folder), 0LL);
    QCOMPARE(celerity::nextOutputPath(folder, 42).filename().string(), std::string("00000-42.png"));
    QCOMPARE(celerity::nextSequenceNumber(folder / "missing"), 0LL);
    for (const char* name : {"00003-1.png", "00009-77.png", "grid.png", "00005.txt",
                             ".00099-1.png.1234.tmp", "12abc-1.png"}) {
      std::ofstream((folder / name).string()) << "x";
    }
    QCOMPARE(celerity::nextSequenceNumber(folder), 10LL);
    QCOMPARE(celerity::nextOutputPath(folder, 1234567890).filename().string(),
             std::string("00010-1234567890.png"));
    QCOMPARE(celerity::outputFileName(123456, 5, "webp"), std::string("123456-5.webp"));
  }
};

QTEST_GUILESS_MAIN(TestInfotext)
#include "tst_infotext.moc"
