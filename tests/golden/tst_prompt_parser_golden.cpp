// A1111 prompt parsing against modules/prompt_parser.py (prompt_parse.json): every case of
// every section must match exactly — texts byte for byte, steps exactly, weights as doubles
// (exactly; the worst relative difference is reported). A section this test does not know
// fails, so that a newer vector set cannot be passed by skipping what it adds.
#include <QTest>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "celerity/Error.h"
#include "common/GoldenSupport.h"
#include "prompt/MultiCond.h"
#include "prompt/PromptAttention.h"
#include "prompt/PromptSchedule.h"

using nlohmann::json;

Q_DECLARE_METATYPE(std::string)

namespace {

constexpr const char* kGoldenFile = "prompt_parse.json";
const std::set<std::string> kMetadataKeys = {"format", "set", "reference"};
const std::set<std::string> kSections = {"attention", "schedules", "schedules_hires", "multicond"};

json readGolden() {
  const auto path = celerity::test::goldenPath(kGoldenFile);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  return json::parse(in);
}

// Worst relative weight difference over the whole run (0 when all are exact).
double gWorstRelative = 0;

bool sameWeight(double out, double ref) {
  if (out == ref) return true;
  const double rel = std::abs(out - ref) / std::max(std::abs(ref), 1e-300);
  gWorstRelative = std::max(gWorstRelative, rel);
  return false;
}

std::string describe(const std::vector<celerity::WeightedText>& pieces) {
  json out = json::array();
  for (const auto& piece : pieces) out.push_back({piece.text, piece.weight});
  return out.dump();
}

std::string describe(const celerity::PromptSchedule& schedule) {
  json out = json::array();
  for (const auto& entry : schedule) out.push_back({entry.endAtStep, entry.text});
  return out.dump();
}

celerity::PromptSchedule expectedSchedule(const json& output) {
  celerity::PromptSchedule schedule;
  for (const json& entry : output) {
    schedule.push_back({entry.at(0).get<int>(), entry.at(1).get<std::string>()});
  }
  return schedule;
}

}  // namespace

class TestPromptParserGolden : public QObject {
  Q_OBJECT

 private:
  json golden_;
  std::string goldenError_;

  // One row per case of `section`; an unreadable file or a missing / empty section is a row
  // that fails.
  void addRows(const std::string& section) {
    QTest::addColumn<std::string>("caseJson");
    QTest::addColumn<std::string>("readError");
    if (!goldenError_.empty()) {
      QTest::newRow("unreadable golden file") << std::string() << goldenError_;
      return;
    }
    if (!golden_.contains(section) || !golden_[section].contains("cases") ||
        !golden_[section]["cases"].is_array() || golden_[section]["cases"].empty()) {
      QTest::newRow("missing section") << std::string() << section + " has no cases";
      return;
    }
    int index = 0;
    for (const json& c : golden_[section]["cases"]) {
      const std::string name =
          section + "[" + std::to_string(index++) + "] " + c.value("input", json()).dump();
      QTest::newRow(name.c_str()) << c.dump() << std::string();
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
    QVERIFY(golden_.is_object());
    const std::string format = golden_.value("format", std::string());
    QVERIFY2(format.rfind("sd-golden/prompt_parse/", 0) == 0, ("format " + format).c_str());
    std::vector<std::string> unknown;
    int found = 0;
    for (const auto& [key, value] : golden_.items()) {
      if (kSections.count(key)) {
        ++found;
      } else if (!kMetadataKeys.count(key)) {
        unknown.push_back(key);
      }
    }
    std::string names;
    for (const auto& key : unknown) names += " " + key;
    QVERIFY2(unknown.empty(), ("sections this test does not check:" + names).c_str());
    QVERIFY2(found > 0, "no sections");
  }

  void attention_data() { addRows("attention"); }
  void attention() {
    QFETCH(std::string, caseJson);
    QFETCH(std::string, readError);
    QVERIFY2(readError.empty(), readError.c_str());
    const json c = json::parse(caseJson);
    const std::string input = c.at("input").get<std::string>();

    if (c.at("output").is_null()) {
      // The reference raised; the error must be the same kind and name the same value.
      const std::string expected = c.value("error", std::string());
      QVERIFY2(!expected.empty(), "output null without error");
      try {
        const auto pieces = celerity::parseAttention(input);
        QFAIL(("expected an error like " + expected + ", got " + describe(pieces)).c_str());
      } catch (const celerity::CelerityError& e) {
        QCOMPARE(e.code(), celerity::ErrorCode::InvalidArgument);
        const std::string& message = e.error().message;
        const bool suffix =
            expected.size() >= message.size() &&
            expected.compare(expected.size() - message.size(), message.size(), message) == 0;
        QVERIFY2(suffix && expected.rfind("ValueError", 0) == 0,
                 ("error '" + message + "' expected '" + expected + "'").c_str());
      }
      return;
    }

    const auto pieces = celerity::parseAttention(input);
    const json& expected = c.at("output");
    bool same = pieces.size() == expected.size();
    for (std::size_t i = 0; same && i < pieces.size(); ++i) {
      same = pieces[i].text == expected[i].at(0).get<std::string>() &&
             sameWeight(pieces[i].weight, expected[i].at(1).get<double>());
    }
    QVERIFY2(same, (describe(pieces) + " expected " + expected.dump()).c_str());
  }

  void schedules_data() { addRows("schedules"); }
  void schedules() {
    QFETCH(std::string, caseJson);
    QFETCH(std::string, readError);
    QVERIFY2(readError.empty(), readError.c_str());
    const json c = json::parse(caseJson);
    const auto schedule =
        celerity::promptSchedule(c.at("input").get<std::string>(), c.at("steps").get<int>());
    const auto expected = expectedSchedule(c.at("output"));
    QVERIFY2(schedule == expected,
             (describe(schedule) + " expected " + c.at("output").dump()).c_str());
  }

  void schedulesHires_data() { addRows("schedules_hires"); }
  void schedulesHires() {
    QFETCH(std::string, caseJson);
    QFETCH(std::string, readError);
    QVERIFY2(readError.empty(), readError.c_str());
    const json c = json::parse(caseJson);
    celerity::PromptScheduleOptions options;
    options.steps = c.at("base_steps").get<int>();
    if (!c.at("hires_steps").is_null()) options.hiresSteps = c.at("hires_steps").get<int>();
    options.useOldScheduling = c.at("use_old_scheduling").get<bool>();
    const auto schedule = celerity::promptSchedule(c.at("input").get<std::string>(), options);
    const auto expected = expectedSchedule(c.at("output"));
    QVERIFY2(schedule == expected,
             (describe(schedule) + " expected " + c.at("output").dump()).c_str());
  }

  void multicond_data() { addRows("multicond"); }
  void multicond() {
    QFETCH(std::string, caseJson);
    QFETCH(std::string, readError);
    QVERIFY2(readError.empty(), readError.c_str());
    const json c = json::parse(caseJson);
    const auto result =
        celerity::multiCondPromptList(c.at("input").get<std::vector<std::string>>());

    json indexes = json::array();
    for (const auto& refs : result.indexes) {
      json row = json::array();
      for (const auto& ref : refs) row.push_back({ref.index, ref.weight});
      indexes.push_back(row);
    }
    const json& expected = c.at("output");
    QVERIFY2(result.flatPrompts == expected.at("flat_prompts").get<std::vector<std::string>>(),
             (json(result.flatPrompts).dump() + " expected " + expected.at("flat_prompts").dump())
                 .c_str());
    const json& expectedIndexes = expected.at("indexes");
    bool same = result.indexes.size() == expectedIndexes.size();
    for (std::size_t p = 0; same && p < result.indexes.size(); ++p) {
      same = result.indexes[p].size() == expectedIndexes[p].size();
      for (std::size_t i = 0; same && i < result.indexes[p].size(); ++i) {
        same = result.indexes[p][i].index == expectedIndexes[p][i].at(0).get<std::size_t>() &&
               sameWeight(result.indexes[p][i].weight, expectedIndexes[p][i].at(1).get<double>());
      }
    }
    QVERIFY2(same, (indexes.dump() + " expected " + expectedIndexes.dump()).c_str());
  }

  void cleanupTestCase() { qInfo("worst relative weight difference: %g", gWorstRelative); }
};

QTEST_GUILESS_MAIN(TestPromptParserGolden)
#include "tst_prompt_parser_golden.moc"
