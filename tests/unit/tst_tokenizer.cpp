// CLIP tokenizer without the golden file: where the vocabulary comes from (setting,
// environment, data folders, installs, clear error when missing), the Hugging Face vocab.json +
// merges.txt form, text cleaning, decoding and the 77-token context row.
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <QTemporaryDir>
#include <QTest>

#include "text/UnicodeNormalization.h"
#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "text/ClipTokenizer.h"
#include "text/ClipVocabulary.h"
#include "text/ClipVocabularyLocation.h"

using celerity::CelerityError;
using celerity::ClipTokenizer;
using celerity::ClipVocabulary;
using celerity::ClipVocabularyLocation;
using celerity::ErrorCode;
namespace fs = std::filesystem;

namespace {

// Prompts of many kinds for comparing two loaders of the same vocabulary.
const std::vector<std::string> kPrompts = {
    "a photograph of an astronaut riding a horse",
    "masterpiece, best quality, (ultra-detailed:1.2), [blurry], ((sharp))",
    "don't won't I'm you're we've they'll she'd it's",
    "numbers 1234567890 and 3.14159, 8k uhd, f/1.8",
    "café naïve résumé jalapeño Über straße Ærøskøbing",
    "日本語のテキスト 中文提示词 한국어 텍스트 Здравствуй мир Ελληνικά",
    "emoji 😀🎉 👍🏽 family 👨‍👩‍👧",
    "<|startoftext|>inline special<|endoftext|> <lora:myLora_v1:0.8>",
    "wow!!! ??? ... --- *** ### @@@ ~~~ a_b_c snake_case",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
};

void writeFile(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Restores an environment variable when the test ends, whatever happens.
class EnvironmentGuard {
 public:
  explicit EnvironmentGuard(const char* name) : name_(name) {
    if (const char* value = std::getenv(name)) saved_ = value;
  }
  ~EnvironmentGuard() {
    if (saved_) {
      qputenv(name_, QByteArray::fromStdString(*saved_));
    } else {
      qunsetenv(name_);
    }
  }
  EnvironmentGuard(const EnvironmentGuard&) = delete;
  EnvironmentGuard& operator=(const EnvironmentGuard&) = delete;

 private:
  const char* name_;
  std::optional<std::string> saved_;
};

// A vocabulary small enough to follow by hand: "low" is one word-final token, "lower" is
// "low" + "er</w>".
void writeTinyVocabulary(const fs::path& folder) {
  const nlohmann::json vocab = {
      {"l", 0},       {"o", 1},     {"w", 2},        {"e", 3},         {"r", 4},
      {"w</w>", 5},   {"r</w>", 6}, {"lo", 7},       {"low</w>", 8},   {"low", 9},
      {"er</w>", 10}, {"<|startoftext|>", 11},       {"<|endoftext|>", 12},
  };
  writeFile(folder / "vocab.json", vocab.dump());
  writeFile(folder / "merges.txt", "#version: 0.2\nl o\nlo w</w>\nlo w\ne r</w>\n");
}

}  // namespace

class TestTokenizer : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;

  fs::path folder(const std::string& name) {
    const fs::path path = fs::path(dir_.path().toStdString()) / name;
    fs::create_directories(path);
    return path;
  }

  static std::shared_ptr<ClipTokenizer> realTokenizer() {
    return ClipTokenizer::load(ClipVocabularyLocation().resolve());
  }

 private slots:
  void decomposedAccentsTokenizeLikeComposed() {
    // ftfy normalises to NFC: "e" + U+0301 must read as "é" (needs the ICU build).
    if (!celerity::hasUnicodeNormalization()) QSKIP("built without ICU");
    const auto tokenizer = realTokenizer();
    QCOMPARE(tokenizer->encode("cafe\xcc\x81 au lait"), tokenizer->encode("caf\xc3\xa9 au lait"));
  }

  void missingVocabularyListsEveryPlace() {
    const std::string setting = "/nonexistent/celerity/setting_vocab.txt.gz";
    const std::string environment = "/nonexistent/celerity/env_vocab";
    ClipVocabularyLocation::SearchEnvironment places;
    places.vocabulary = environment;
    places.home = "/nonexistent/celerity/home";
    places.xdgDataDirs = "/nonexistent/celerity/system";
    places.programDataFolder = "/nonexistent/celerity/prefix/share/celerity";
    try {
      ClipVocabularyLocation(setting, places).resolve();
      QFAIL("no error for a missing vocabulary");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::FileNotFound));
      const std::string text = e.what();
      for (const std::string& needle :
           {setting, environment, std::string("setting"),
            std::string(ClipVocabularyLocation::kEnvironmentVariable),
            std::string("/nonexistent/celerity/home/.local/share/celerity/clip"),
            std::string("/nonexistent/celerity/system/celerity/clip"),
            std::string("/nonexistent/celerity/prefix/share/celerity/clip"),
            std::string("/nonexistent/celerity/home/.cache/huggingface/hub"),
            std::string("AUTOMATIC1111 / ComfyUI install: none found"),
            std::string("download bpe_simple_vocab_16e6.txt.gz")}) {
        QVERIFY2(text.find(needle) != std::string::npos, (needle + " missing in: " + text).c_str());
      }
    }
    try {
      ClipVocabularyLocation({}, ClipVocabularyLocation::SearchEnvironment{}).resolve();
      QFAIL("no error without any candidate");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::FileNotFound));
      QVERIFY2(std::string(e.what()).find("not set") != std::string::npos, e.what());
    }
    try {
      ClipTokenizer::load(setting);
      QFAIL("no error loading a missing file");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::FileNotFound));
    }
  }

  void environmentOverridesDefaultAndSettingWins() {
    const fs::path fromEnvironment = folder("env_vocab");
    const fs::path fromSetting = folder("setting_vocab");
    writeTinyVocabulary(fromEnvironment);
    writeTinyVocabulary(fromSetting);
    EnvironmentGuard guard(ClipVocabularyLocation::kEnvironmentVariable);
    qputenv(ClipVocabularyLocation::kEnvironmentVariable,
            QByteArray::fromStdString(fromEnvironment.string()));
    QCOMPARE(ClipVocabularyLocation().resolve(), fromEnvironment);
    QCOMPARE(ClipVocabularyLocation(fromSetting).resolve(), fromSetting);
    // A setting that points nowhere falls back to the environment.
    QCOMPARE(ClipVocabularyLocation(folder("empty_setting")).resolve(), fromEnvironment);
    QCOMPARE(ClipTokenizer::loadDefault()->vocabularySize(), 13);
  }

  void searchOrderOfTheDataFolders() {
    // user data → system data → the program's own share folder → installs → HF cache.
    ClipVocabularyLocation::SearchEnvironment places;
    const fs::path home = folder("home");
    places.home = home.string();
    places.xdgDataDirs = folder("system").string();
    places.programDataFolder = folder("prefix") / "share" / "celerity";
    const fs::path comfy = folder("ComfyUI_root") / "comfy" / "sd1_tokenizer";
    places.installRoots = {folder("ComfyUI_root") / "models"};
    const fs::path hub = home / ".cache" / "huggingface" / "hub" / "models--openai--clip-vit-large-patch14" /
                         "snapshots" / "abc123";
    const fs::path a1111 = home / "stable-diffusion-webui" / "venv" / "lib" / "python3.10" / "site-packages" /
                           "open_clip";
    const fs::path user = home / ".local" / "share" / "celerity" / "clip";
    const fs::path system = folder("system") / "celerity" / "clip";
    const fs::path own = places.programDataFolder / "clip";
    for (const auto& path : {hub, a1111, comfy, own, system, user}) fs::create_directories(path);

    writeTinyVocabulary(hub);
    QCOMPARE(ClipVocabularyLocation({}, places).resolve(), hub);
    std::ofstream(a1111 / ClipVocabularyLocation::kOpenAiFileName) << "not read here";
    QCOMPARE(ClipVocabularyLocation({}, places).resolve(), a1111 / ClipVocabularyLocation::kOpenAiFileName);
    writeTinyVocabulary(comfy);
    QCOMPARE(ClipVocabularyLocation({}, places).resolve(), comfy);
    writeTinyVocabulary(own);
    QCOMPARE(ClipVocabularyLocation({}, places).resolve(), own);
    writeTinyVocabulary(system);
    QCOMPARE(ClipVocabularyLocation({}, places).resolve(), system);
    std::ofstream(user / ClipVocabularyLocation::kOpenAiFileName) << "not read here";
    QCOMPARE(ClipVocabularyLocation({}, places).resolve(), user / ClipVocabularyLocation::kOpenAiFileName);
    places.vocabulary = hub.string();
    QCOMPARE(ClipVocabularyLocation({}, places).resolve(), hub);
    QCOMPARE(ClipVocabularyLocation(comfy, places).resolve(), comfy);
  }

  void tinyHandMadeVocabulary() {
    const fs::path path = folder("tiny");
    writeTinyVocabulary(path);
    const auto tokenizer = ClipTokenizer::load(path);
    QCOMPARE(tokenizer->bosId(), 11);
    QCOMPARE(tokenizer->eosId(), 12);
    QCOMPARE(tokenizer->encode("Low  LOWER"), (std::vector<int>{8, 9, 10}));
    QCOMPARE(tokenizer->tokenStrings("low lower"),
             (std::vector<std::string>{"low</w>", "low", "er</w>"}));
    QCOMPARE(tokenizer->decode({8, 9, 10}), std::string("low lower "));
    QCOMPARE(ClipTokenizer::load(path / "vocab.json")->encode("lower"), (std::vector<int>{9, 10}));
    try {
      tokenizer->encode("x");
      QFAIL("no error for a piece outside the vocabulary");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::MalformedFile));
    }
  }

  void huggingFacePairMatchesGzip() {
    const auto gz = realTokenizer();
    const ClipVocabulary& vocabulary = gz->vocabulary();
    const fs::path path = folder("hf");
    nlohmann::json vocab = nlohmann::json::object();
    for (int id = 0; id < vocabulary.size(); ++id) vocab[vocabulary.tokenOf(id)] = id;
    std::string merges = "#version: 0.2\n";
    for (const auto& [first, second] : vocabulary.merges()) merges += first + " " + second + "\n";
    writeFile(path / "vocab.json", vocab.dump());
    writeFile(path / "merges.txt", merges);

    const auto hf = ClipTokenizer::load(path);
    QCOMPARE(hf->vocabularySize(), gz->vocabularySize());
    QCOMPARE(hf->bosId(), gz->bosId());
    QCOMPARE(hf->eosId(), gz->eosId());
    for (const std::string& prompt : kPrompts) {
      const auto ids = gz->encode(prompt);
      QVERIFY2(!ids.empty(), prompt.c_str());
      QVERIFY2(hf->encode(prompt) == ids, prompt.c_str());
      QVERIFY2(hf->tokenStrings(prompt) == gz->tokenStrings(prompt), prompt.c_str());
    }
  }

  void malformedVocabularies() {
    const fs::path path = folder("malformed");
    writeFile(path / "short.txt", "#version: 0.2\na b\n");
    writeFile(path / "vocab.json", "{not json");
    writeFile(path / "merges.txt", "#version: 0.2\n");
    for (const fs::path& bad : {path / "short.txt", path}) {
      try {
        ClipTokenizer::load(bad);
        QFAIL(("no error for " + bad.string()).c_str());
      } catch (const CelerityError& e) {
        QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::MalformedFile));
        QVERIFY2(std::string(e.what()).find(bad.string()) != std::string::npos, e.what());
      }
    }
  }

  void cleansLikeTheReference_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("cleaned");
    // Expected values from openai/CLIP basic_clean + whitespace_clean + lower with ftfy 6.3.
    QTest::newRow("double escaped") << "fish &amp;amp; chips" << "fish & chips";
    QTest::newRow("ftfy entity capitals") << "&AMP;&EACUTE;T&Eacute;" << "&été";
    QTest::newRow("ligatures") << "ﬁne ﬂower" << "fine flower";
    QTest::newRow("fullwidth") << "Ｈｅｌｌｏ　ｗｏｒｌｄ！" << "hello world!";
    QTest::newRow("curly quotes") << "“quoted” ‘single’" << "\"quoted\" 'single'";
    QTest::newRow("white space") << QString::fromUtf8("a\u00a0b\tc\r\nd\u2028e") << "a b c d e";
    QTest::newRow("final sigma") << "ΣΟΦΟΣ" << "σοφος";
    QTest::newRow("dotted capital i") << "İstanbul" << QString::fromUtf8("i\u0307stanbul");
    QTest::newRow("terminal escapes") << "\x1b[31mred\x1b[0m" << "red";
    QTest::newRow("html keeps one escape") << "<b>&amp;amp;amp;</b>" << "<b>&amp;</b>";
    QTest::newRow("ftfy unescapes fully") << "&amp;amp;amp;" << "&";
    QTest::newRow("c1 control") << QString::fromUtf8("x\u0085y") << "x…y";
    QTest::newRow("only spaces") << QString::fromUtf8("  \u3000 ") << "";
    QTest::newRow("legacy entities")
        << "&notit; &ampx &#x1F600; &#128512; &#0;" << "¬it; &x 😀 😀 �";
  }

  void cleansLikeTheReference() {
    QFETCH(QString, input);
    QFETCH(QString, cleaned);
    QCOMPARE(QString::fromStdString(ClipTokenizer::cleanText(input.toStdString())), cleaned);
  }

  void invalidUtf8BecomesReplacementCharacter() {
    QCOMPARE(ClipTokenizer::cleanText("caf\xC3"), std::string("caf\xEF\xBF\xBD"));
    QCOMPARE(ClipTokenizer::cleanText("a\xE0\x80z"), std::string("a\xEF\xBF\xBD\xEF\xBF\xBDz"));
  }

  void decodeRoundTrip() {
    const auto tokenizer = realTokenizer();
    const std::string prompt = "a photo of a café, 1girl, 😀!";
    QCOMPARE(tokenizer->decode(tokenizer->encode(prompt)),
             std::string("a photo of a café , 1 girl , 😀! "));
    QCOMPARE(tokenizer->decode({tokenizer->bosId(), tokenizer->eosId()}),
             std::string("<|startoftext|><|endoftext|>"));
    try {
      tokenizer->decode({tokenizer->vocabularySize()});
      QFAIL("no error for an id outside the vocabulary");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::InvalidArgument));
    }
  }

  void contextRowTruncatesAndPads() {
    const fs::path path = folder("row");
    writeTinyVocabulary(path);
    const auto tokenizer = ClipTokenizer::load(path);
    const int bos = tokenizer->bosId();
    const int eos = tokenizer->eosId();

    std::vector<int> many(100);
    for (int i = 0; i < 100; ++i) many[std::size_t(i)] = 1000 + i;
    const auto full = tokenizer->toContextRow(many);
    QCOMPARE(full.size(), std::size_t(77));
    QCOMPARE(full.front(), std::int64_t(bos));
    QCOMPARE(full[1], std::int64_t(1000));
    QCOMPARE(full[75], std::int64_t(1074));
    QCOMPARE(full.back(), std::int64_t(eos));

    const auto endPadded = tokenizer->toContextRow({8, 9, 10});
    QCOMPARE(endPadded.size(), std::size_t(77));
    QCOMPARE(std::vector<std::int64_t>(endPadded.begin(), endPadded.begin() + 5),
             (std::vector<std::int64_t>{bos, 8, 9, 10, eos}));
    for (std::size_t i = 5; i < 77; ++i) QCOMPARE(endPadded[i], std::int64_t(eos));

    const auto zeroPadded = tokenizer->toContextRow({8}, 77, 0);
    QCOMPARE(zeroPadded[2], std::int64_t(eos));
    for (std::size_t i = 3; i < 77; ++i) QCOMPARE(zeroPadded[i], std::int64_t(0));

    QCOMPARE(tokenizer->toContextRow({}, 2), (std::vector<std::int64_t>{bos, eos}));
    QCOMPARE(tokenizer->toContextRow({8, 9}, 3), (std::vector<std::int64_t>{bos, 8, eos}));
    try {
      tokenizer->toContextRow({8}, 1);
      QFAIL("no error for a context length below 2");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::InvalidArgument));
    }
  }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
