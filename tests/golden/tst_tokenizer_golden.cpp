// CLIP BPE tokenizer against openai/CLIP's simple_tokenizer (tokenizer.json): every case's ids,
// BPE strings and cleaned text must match exactly. Cases whose ids depend on ftfy are
// expected to match the ftfy ids too, since the tokenizer implements those ftfy fixes.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <QTest>
#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "common/GoldenSupport.h"
#include "text/ClipTokenizer.h"
#include "text/ClipVocabularyLocation.h"

using celerity::ClipTokenizer;
using nlohmann::json;

Q_DECLARE_METATYPE(std::string)

namespace {

constexpr const char* kGoldenFile = "tokenizer.json";

json readGolden() {
  const auto path = celerity::test::goldenPath(kGoldenFile);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  json golden = json::parse(in);
  if (!golden.contains("cases") || !golden["cases"].is_array() || golden["cases"].empty()) {
    throw std::runtime_error(path.string() + " has no cases");
  }
  return golden;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " | ") + item;
  return out;
}

template <typename T>
std::string joinNumbers(const std::vector<T>& items) {
  std::vector<std::string> strings;
  for (const auto& item : items) strings.push_back(std::to_string(item));
  return join(strings);
}

}  // namespace

class TestTokenizerGolden : public QObject {
  Q_OBJECT

 private:
  std::shared_ptr<ClipTokenizer> tokenizer_;
  std::string setupError_;
  json golden_;
  std::string goldenError_;

 private slots:
  void initTestCase() {
    try {
      golden_ = readGolden();
    } catch (const std::exception& e) {
      goldenError_ = e.what();
    }
    try {
      tokenizer_ = ClipTokenizer::load(celerity::ClipVocabularyLocation().resolve());
    } catch (const std::exception& e) {
      setupError_ = e.what();
    }
  }

  void header() {
    QVERIFY2(goldenError_.empty(), goldenError_.c_str());
    QVERIFY2(tokenizer_, setupError_.c_str());
    QCOMPARE(tokenizer_->bosId(), golden_.at("bos_id").get<int>());
    QCOMPARE(tokenizer_->eosId(), golden_.at("eos_id").get<int>());
    QCOMPARE(tokenizer_->vocabularySize(), golden_.at("vocab_size").get<int>());
  }

  void cases_data() {
    QTest::addColumn<std::string>("caseJson");
    QTest::addColumn<std::string>("readError");
    if (!goldenError_.empty()) {
      QTest::newRow("unreadable golden file") << std::string() << goldenError_;
      return;
    }
    for (const json& c : golden_["cases"]) {
      const std::string name = c.value("name", std::string("unnamed"));
      QTest::newRow(name.c_str()) << c.dump() << std::string();
    }
  }

  void cases() {
    QFETCH(std::string, caseJson);
    QFETCH(std::string, readError);
    QVERIFY2(readError.empty(), readError.c_str());
    QVERIFY2(tokenizer_, setupError_.c_str());
    const json c = json::parse(caseJson);
    const std::string text = c.at("text").get<std::string>();

    const auto expectedIds = c.at("ids").get<std::vector<int>>();
    const auto ids = tokenizer_->encode(text);
    QVERIFY2(ids == expectedIds,
             ("ids [" + joinNumbers(ids) + "] expected [" + joinNumbers(expectedIds) + "]")
                 .c_str());
    if (c.contains("n_tokens")) QCOMPARE(static_cast<int>(ids.size()), c["n_tokens"].get<int>());

    if (c.contains("tokens")) {
      const auto expected = c["tokens"].get<std::vector<std::string>>();
      const auto tokens = tokenizer_->tokenStrings(text);
      QVERIFY2(tokens == expected,
               ("tokens [" + join(tokens) + "] expected [" + join(expected) + "]").c_str());
    }
    if (c.contains("cleaned")) {
      const std::string expected = c["cleaned"].get<std::string>();
      const std::string cleaned = ClipTokenizer::cleanText(text);
      QVERIFY2(cleaned == expected, ("cleaned '" + cleaned + "' expected '" + expected + "'").c_str());
    }
  }

  // A context row made from each case: start, up to 75 ids, end, end-padding to 77.
  void contextRows() {
    QVERIFY2(goldenError_.empty(), goldenError_.c_str());
    QVERIFY2(tokenizer_, setupError_.c_str());
    const json& golden = golden_;
    for (const json& c : golden.at("cases")) {
      const auto ids = c.at("ids").get<std::vector<int>>();
      const auto row = tokenizer_->toContextRow(ids);
      QCOMPARE(static_cast<int>(row.size()), ClipTokenizer::kContextLength);
      QCOMPARE(row.front(), static_cast<std::int64_t>(golden.at("bos_id").get<int>()));
      const std::size_t kept = std::min<std::size_t>(ids.size(), 75);
      for (std::size_t i = 0; i < kept; ++i) QCOMPARE(row[i + 1], std::int64_t(ids[i]));
      QCOMPARE(row[kept + 1], static_cast<std::int64_t>(golden.at("eos_id").get<int>()));
    }
  }
};

QTEST_GUILESS_MAIN(TestTokenizerGolden)
#include "tst_tokenizer_golden.moc"
