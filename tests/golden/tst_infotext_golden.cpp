// A1111 PNG "parameters" infotext against infotext.json (made by A1111 1.10 itself): every
// create_infotext output byte for byte, every parse_generation_parameters result with its key
// order and Python value types, quote/unquote pairs, and the PNG text chunks of the two PNGs.
// The create[] fields are built here from each case's inputs the way A1111's txt2img
// `init` and `create_infotext` build them; the library only writes them.
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "common/GoldenSupport.h"
#include "metadata/GenerationParametersMapping.h"
#include "metadata/InfotextParser.h"
#include "metadata/InfotextWriter.h"
#include "metadata/PngTextChunks.h"
#include "metadata/PythonFormat.h"

using celerity::InfotextFields;
using celerity::InfotextParseOptions;
using celerity::pyfmt::PyDict;
using celerity::pyfmt::PyValue;
using nlohmann::json;

Q_DECLARE_METATYPE(std::string)

namespace pyfmt = celerity::pyfmt;

namespace {

constexpr const char* kGoldenFile = "infotext.json";
const std::set<std::string> kKnownSections = {"format",  "set",    "producer", "a1111_defaults",
                                              "notes",   "create", "parse",    "quote",
                                              "unquote", "png"};

json readGolden() {
  const auto path = celerity::test::goldenPath(kGoldenFile);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  return json::parse(in);
}

// A JSON value as the Python value it was written from.
PyValue toPy(const json& v) {
  if (v.is_null()) return {};
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) return v.get<long long>();
  if (v.is_number_float()) return v.get<double>();
  throw std::runtime_error("value of unsupported type: " + v.dump());
}

std::string describe(const PyValue& v) {
  return std::string(pyfmt::typeName(v)) + " " +
         (pyfmt::isString(v) ? pyfmt::jsonEncodeString(pyfmt::str(v)) : pyfmt::str(v));
}

bool truthy(const PyValue& v) {
  if (pyfmt::isNone(v)) return false;
  if (const auto* s = std::get_if<std::string>(&v)) return !s->empty();
  return pyfmt::toFloat(v).value_or(0) != 0;
}

std::string firstDifference(const std::string& out, const std::string& ref) {
  std::size_t i = 0;
  while (i < out.size() && i < ref.size() && out[i] == ref[i]) ++i;
  return "differs at byte " + std::to_string(i) + "\n  got:      " + out + "\n  expected: " + ref;
}

InfotextParseOptions parseOptions(const json& opts) {
  InfotextParseOptions options;
  options.useOldHiresFixWidthHeight = opts.value("use_old_hires_fix_width_height", false);
  options.autoBackcompat = opts.value("auto_backcompat", true);
  options.infotextStyles = opts.value("infotext_styles", std::string("Apply if any"));
  options.skipFields = opts.value("infotext_skip_pasting", std::vector<std::string>{});
  return options;
}

// Builds txt2img's generation_params for one image, as A1111 1.10 does:
// StableDiffusionProcessingTxt2Img.init (hires keys), the pipeline's extra params, then
// create_infotext's fixed keys with `**p.extra_generation_params` and Version/User.
InfotextFields a1111Fields(const json& c, const json& output) {
  const json& in = c.at("inputs");
  const json& args = in.at("txt2img_args");
  const json& opts = in.at("opts");
  const json& model = in.at("model_fields");
  const json& derived = c.at("derived");
  const auto arg = [&](const char* key, PyValue fallback) {
    return args.contains(key) ? toPy(args[key]) : fallback;
  };
  const auto opt = [&](const char* key, PyValue fallback) {
    return opts.contains(key) ? toPy(opts[key]) : fallback;
  };
  const auto modelField = [&](const char* key, const char* option) {
    return truthy(opt(option, true)) && model.contains(key) ? toPy(model[key]) : PyValue();
  };
  const auto pyOr = [](const PyValue& a, const PyValue& b) { return truthy(a) ? a : b; };

  const bool useMain = output.at("image").is_string();
  const std::size_t index = useMain ? 0 : output.at("image").get<std::size_t>();
  const std::string prompt = pyfmt::str(arg("prompt", std::string()));
  const std::string negative = pyfmt::str(arg("negative_prompt", std::string()));
  const bool enableHr = truthy(arg("enable_hr", false));
  const PyValue sampler = arg("sampler_name", {});

  PyDict extra;  // p.extra_generation_params
  if (enableHr) {
    extra.set("Denoising strength", arg("denoising_strength", 0.75));
    if (truthy(arg("hr_checkpoint_name", {})) &&
        pyfmt::str(arg("hr_checkpoint_name", {})) != "Use same checkpoint") {
      throw std::runtime_error("hr_checkpoint_name needs the checkpoint list");
    }
    const PyValue hrSampler = arg("hr_sampler_name", {});
    if (!pyfmt::isNone(hrSampler) && hrSampler != sampler) extra.set("Hires sampler", hrSampler);
    std::string hrPrompt = pyfmt::str(arg("hr_prompt", std::string()));
    std::string hrNegative = pyfmt::str(arg("hr_negative_prompt", std::string()));
    if (hrPrompt.empty()) hrPrompt = prompt;
    if (hrNegative.empty()) hrNegative = negative;
    extra.set("Hires prompt", hrPrompt != prompt ? PyValue(hrPrompt) : PyValue());
    extra.set("Hires negative prompt", hrNegative != negative ? PyValue(hrNegative) : PyValue());
    extra.set("Hires schedule type", {});
    if (truthy(opt("use_old_hires_fix_width_height", false))) {
      throw std::runtime_error("use_old_hires_fix_width_height is not emulated");
    }
    const PyValue resizeX = arg("hr_resize_x", 0LL);
    const PyValue resizeY = arg("hr_resize_y", 0LL);
    if (!truthy(resizeX) && !truthy(resizeY)) {
      extra.set("Hires upscale", arg("hr_scale", 2.0));
    } else {
      extra.set("Hires resize", pyfmt::str(resizeX) + "x" + pyfmt::str(resizeY));
    }
    if (truthy(arg("hr_second_pass_steps", 0LL)))
      extra.set("Hires steps", arg("hr_second_pass_steps", 0LL));
    if (!pyfmt::isNone(arg("hr_upscaler", {}))) extra.set("Hires upscaler", arg("hr_upscaler", {}));
  }
  for (const json& pair : in.at("pipeline_extra_generation_params")) {
    extra.set(pair.at(0).get<std::string>(), toPy(pair.at(1)));
  }

  const json& seeds = derived.at("all_seeds");
  const json& subseeds = derived.at("all_subseeds");
  const PyValue subseedStrength = arg("subseed_strength", 0LL);
  const PyValue resizeFromW = arg("seed_resize_from_w", -1LL);
  const PyValue resizeFromH = arg("seed_resize_from_h", -1LL);
  const long long clipSkip = *pyfmt::toInt(opt("CLIP_stop_at_last_layers", 1LL));
  const PyValue tome = pyOr(arg("token_merging_ratio", 0LL), opt("token_merging_ratio", 0.0));
  const PyValue tomeHr =
      pyOr(pyOr(arg("token_merging_ratio_hr", 0LL), opt("token_merging_ratio_hr", 0.0)), tome);
  if (truthy(opt("eta_noise_seed_delta", 0LL))) {
    throw std::runtime_error("ENSD needs the sampler table (not covered)");
  }
  const PyValue randn = opt("randn_source", std::string("GPU"));

  InfotextFields f;
  f.prompt = prompt;
  f.negativePrompt = negative;
  f.set("Steps", arg("steps", 50LL));
  f.set("Sampler", sampler);
  f.set("Schedule type", arg("scheduler", {}));
  f.set("CFG scale", arg("cfg_scale", 7.0));
  f.set("Image CFG scale", {});
  f.set("Seed", toPy(seeds.at(index)));
  f.set("Face restoration",
        truthy(arg("restore_faces", false)) ? opt("face_restoration_model", {}) : PyValue());
  f.set("Size", pyfmt::str(arg("width", 512LL)) + "x" + pyfmt::str(arg("height", 512LL)));
  f.set("Model hash", modelField("sd_model_hash", "add_model_hash_to_info"));
  f.set("Model", modelField("sd_model_name", "add_model_name_to_info"));
  f.set("FP8 weight", {});
  f.set("Cache FP16 weight for LoRA", {});
  f.set("VAE hash", modelField("sd_vae_hash", "add_vae_hash_to_info"));
  f.set("VAE", modelField("sd_vae_name", "add_vae_name_to_info"));
  const bool variation = truthy(subseedStrength);
  f.set("Variation seed", variation ? toPy(subseeds.at(index)) : PyValue());
  f.set("Variation seed strength", variation ? subseedStrength : PyValue());
  const bool resizeFrom = *pyfmt::toInt(resizeFromW) > 0 && *pyfmt::toInt(resizeFromH) > 0;
  f.set("Seed resize from",
        resizeFrom ? PyValue(pyfmt::str(resizeFromW) + "x" + pyfmt::str(resizeFromH)) : PyValue());
  f.set("Denoising strength", extra.get("Denoising strength"));
  f.set("Conditional mask weight", {});
  f.set("Clip skip", clipSkip <= 1 ? PyValue() : PyValue(clipSkip));
  f.set("ENSD", {});
  f.set("Token merging ratio", truthy(tome) ? tome : PyValue());
  f.set("Token merging ratio hr", enableHr && truthy(tomeHr) ? tomeHr : PyValue());
  f.set("Init image hash", {});
  f.set("RNG", pyfmt::str(randn) != "GPU" ? randn : PyValue());
  f.set("Tiling", truthy(arg("tiling", false)) ? PyValue(std::string("True")) : PyValue());
  for (const auto& [key, value] : extra.items()) f.set(key, value);
  // program_version() is not among the inputs: the version A1111 reported is the parsed one.
  PyValue version;
  if (truthy(opt("add_version_to_infotext", true))) {
    const json& parsed = output.at("parsed");
    if (!parsed.contains("Version")) throw std::runtime_error("no Version to write");
    version = toPy(parsed.at("Version"));
  }
  f.set("Version", version);
  if (truthy(opt("add_user_name_to_info", false))) throw std::runtime_error("User is not emulated");
  f.set("User", {});
  return f;
}

// Compares a parse result with `parsed` + `parsed_keys`; empty when equal.
std::string compareParsed(const PyDict& result, const json& parsed, const json& parsedKeys) {
  std::string problems;
  const auto keys = result.keys();
  const auto expectedKeys = parsedKeys.get<std::vector<std::string>>();
  if (keys != expectedKeys) {
    problems += "key order differs:\n  got:     ";
    for (const auto& k : keys) problems += "'" + k + "' ";
    problems += "\n  expected: ";
    for (const auto& k : expectedKeys) problems += "'" + k + "' ";
    problems += "\n";
  }
  if (parsed.size() != expectedKeys.size()) problems += "parsed and parsed_keys disagree\n";
  for (const auto& [key, value] : parsed.items()) {
    const PyValue* got = result.find(key);
    const PyValue expected = toPy(value);
    if (!got) {
      problems += "missing " + key + "\n";
    } else if (*got != expected) {
      problems += key + ": got " + describe(*got) + ", expected " + describe(expected) + "\n";
    }
  }
  return problems;
}

std::pair<int, int> ihdrSize(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char bytes[24] = {};
  if (!in.read(reinterpret_cast<char*>(bytes), 24)) throw std::runtime_error("short PNG");
  const auto be = [&](int at) {
    return int((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);
  };
  return {be(16), be(20)};
}

}  // namespace

class TestInfotextGolden : public QObject {
  Q_OBJECT

 private:
  json golden_;
  std::string goldenError_;

  void addRows(const char* section) {
    QTest::addColumn<std::string>("entry");
    QTest::addColumn<std::string>("readError");
    if (!goldenError_.empty() || !golden_.contains(section) || !golden_[section].is_array() ||
        golden_[section].empty()) {
      QTest::newRow("unreadable") << std::string()
                                  << (goldenError_.empty() ? std::string("no ") + section
                                                           : goldenError_);
      return;
    }
    int i = 0;
    for (const json& e : golden_[section]) {
      const std::string name = e.value("id", e.value("file", std::to_string(i)));
      QTest::newRow(name.c_str()) << e.dump() << std::string();
      ++i;
    }
  }

 private slots:
  void initTestCase() {
    try {
      golden_ = readGolden();
    } catch (const std::exception& e) {
      goldenError_ = e.what();
    }
  }

  void sections() {
    QVERIFY2(goldenError_.empty(), goldenError_.c_str());
    QCOMPARE(golden_.value("format", std::string()),
             std::string("celerity-golden/a1111-infotext/1"));
    for (const auto& [key, value] : golden_.items()) {
      QVERIFY2(kKnownSections.count(key), ("unknown section " + key).c_str());
    }
    for (const char* section : {"create", "parse", "quote", "unquote", "png"}) {
      QVERIFY2(golden_.contains(section) && !golden_[section].empty(), section);
    }
  }

  // Every output of every create case: the text byte for byte, and its A1111 parse.
  void create_data() { addRows("create"); }
  void create() {
    QFETCH(std::string, entry);
    QFETCH(std::string, readError);
    QVERIFY2(readError.empty(), readError.c_str());
    const json c = json::parse(entry);
    const auto options = parseOptions(c.at("inputs").at("opts"));
    QVERIFY(!c.at("outputs").empty());
    for (const json& output : c.at("outputs")) {
      const std::string label = "image " + output.at("image").dump() + ": ";
      const std::string expected = output.at("infotext").get<std::string>();
      std::string text;
      try {
        text = celerity::writeInfotext(a1111Fields(c, output));
      } catch (const std::exception& e) {
        QFAIL((label + e.what()).c_str());
      }
      QVERIFY2(text == expected, (label + firstDifference(text, expected)).c_str());

      const auto problems = compareParsed(celerity::parseInfotext(expected, options),
                                          output.at("parsed"), output.at("parsed_keys"));
      QVERIFY2(problems.empty(), (label + "parse: " + problems).c_str());

      // Through GenerationParameters and back: nothing read is lost.
      const auto parameters = celerity::fromInfotext(expected, options);
      const auto again = celerity::fromInfotext(celerity::toInfotext(parameters), options);
      QVERIFY2(again == parameters,
               (label + "round trip: " + celerity::toInfotext(parameters)).c_str());
    }
  }

  void parse_data() { addRows("parse"); }
  void parse() {
    QFETCH(std::string, entry);
    QFETCH(std::string, readError);
    QVERIFY2(readError.empty(), readError.c_str());
    const json c = json::parse(entry);
    const auto options = parseOptions(golden_.value("a1111_defaults", json::object()));
    const auto problems =
        compareParsed(celerity::parseInfotext(c.at("text").get<std::string>(), options),
                      c.at("parsed"), c.at("parsed_keys"));
    QVERIFY2(problems.empty(), problems.c_str());
  }

  void quote_data() { addRows("quote"); }
  void quote() {
    QFETCH(std::string, entry);
    QFETCH(std::string, readError);
    QVERIFY2(readError.empty(), readError.c_str());
    const json c = json::parse(entry);
    const PyValue got = pyfmt::quote(toPy(c.at("input")));
    const PyValue expected = toPy(c.at("quote"));
    QVERIFY2(got == expected, (describe(got) + " expected " + describe(expected)).c_str());
  }

  void unquote_data() { addRows("unquote"); }
  void unquote() {
    QFETCH(std::string, entry);
    QFETCH(std::string, readError);
    QVERIFY2(readError.empty(), readError.c_str());
    const json c = json::parse(entry);
    const std::string got = pyfmt::unquote(c.at("input").get<std::string>());
    QCOMPARE(got, c.at("unquote").get<std::string>());
  }

  void png_data() { addRows("png"); }
  void png() {
    QFETCH(std::string, entry);
    QFETCH(std::string, readError);
    QVERIFY2(readError.empty(), readError.c_str());
    const json c = json::parse(entry);
    const auto path = celerity::test::goldenPath(c.at("file").get<std::string>());
    const std::string parameters = c.at("parameters").get<std::string>();
    const json& info = c.at("read_info_from_image");

    QCOMPARE(celerity::isLatin1Encodable(parameters), c.at("parameters_is_latin1").get<bool>());
    for (const json& created : golden_.at("create")) {
      if (created.at("id") == c.at("from_case")) {
        QCOMPARE(created.at("outputs").at(0).at("infotext").get<std::string>(), parameters);
      }
    }

    // A1111's file: its text chunks and its chunk list, exactly.
    auto texts = celerity::readPngTextChunks(path);
    QVERIFY2(texts.count("parameters"), "no parameters chunk");
    QCOMPARE(texts["parameters"], parameters);
    QCOMPARE(texts["parameters"], info.at("geninfo").get<std::string>());
    texts.erase("parameters");
    QCOMPARE(texts.size(), info.at("items").size());
    for (const auto& [key, value] : info.at("items").items()) {
      QCOMPARE(texts[key], value.get<std::string>());
    }
    const json& chunks = c.at("chunks");
    const auto listed = celerity::listPngChunks(path);
    QCOMPARE(listed.size(), chunks.size());
    for (std::size_t i = 0; i < listed.size(); ++i) {
      QCOMPARE(listed[i].type, chunks[i].at("type").get<std::string>());
      QCOMPARE(listed[i].length, chunks[i].at("length").get<std::uint32_t>());
      QCOMPARE(listed[i].keyword, chunks[i].value("keyword", std::string()));
    }

    // Our own file for the same text: same chunk types in the same order, same text chunks
    // (IDAT differs with the zlib build), and it reads back.
    QTemporaryDir dir;
    const auto [width, height] = ihdrSize(path);
    std::vector<std::uint8_t> rgb(std::size_t(width) * height * 3);
    for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<std::uint8_t>(i * 7);
    const std::filesystem::path ours = dir.filePath("ours.png").toStdString();
    celerity::writePngWithParameters(ours, rgb, width, height, parameters);
    const auto ourChunks = celerity::listPngChunks(ours);
    QCOMPARE(ourChunks.size(), chunks.size());
    for (std::size_t i = 0; i < ourChunks.size(); ++i) {
      QCOMPARE(ourChunks[i].type, chunks[i].at("type").get<std::string>());
      QCOMPARE(ourChunks[i].keyword, chunks[i].value("keyword", std::string()));
      if (!ourChunks[i].keyword.empty()) {
        QCOMPARE(ourChunks[i].length, chunks[i].at("length").get<std::uint32_t>());
      }
    }
    QCOMPARE(celerity::readPngParameters(ours).value_or("<none>"), parameters);
  }
};

QTEST_GUILESS_MAIN(TestInfotextGolden)
#include "tst_infotext_golden.moc"
