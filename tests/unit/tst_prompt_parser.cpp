// A1111 prompt language without the golden file: emphasis nesting and escapes, BREAK, prompt
// editing with integer and fractional `when`, AND, extra-network tags and the Lora request
// read from them, Unicode classes as Python's `re` has them, inputs that must neither crash
// nor throw, and the time a 10 000-character prompt takes.
#include <QTest>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "celerity/Error.h"
#include "prompt/ExtraNetworks.h"
#include "prompt/MultiCond.h"
#include "prompt/PromptAttention.h"
#include "prompt/PromptSchedule.h"
#include "prompt/ScheduleParser.h"

using celerity::CelerityError;
using celerity::ErrorCode;
using celerity::PromptSchedule;
using celerity::WeightedText;

namespace {

using Pieces = std::vector<WeightedText>;

std::string show(const Pieces& pieces) {
  std::string out;
  for (const auto& piece : pieces) {
    out += "[" + piece.text + ", " + QByteArray::number(piece.weight, 'g', 17).toStdString() + "] ";
  }
  return out;
}

std::string show(const PromptSchedule& schedule) {
  std::string out;
  for (const auto& entry : schedule)
    out += "[" + std::to_string(entry.endAtStep) + ", " + entry.text + "] ";
  return out;
}

#define COMPARE_PIECES(actual, expected)                              \
  do {                                                                \
    const Pieces _a = (actual);                                       \
    const Pieces _e = (expected);                                     \
    QVERIFY2(_a == _e, (show(_a) + " expected " + show(_e)).c_str()); \
  } while (false)

#define COMPARE_SCHEDULE(actual, expected)                            \
  do {                                                                \
    const PromptSchedule _a = (actual);                               \
    const PromptSchedule _e = (expected);                             \
    QVERIFY2(_a == _e, (show(_a) + " expected " + show(_e)).c_str()); \
  } while (false)

celerity::PromptScheduleOptions hires(int base, int hiresSteps, bool old) {
  celerity::PromptScheduleOptions options;
  options.steps = base;
  options.hiresSteps = hiresSteps;
  options.useOldScheduling = old;
  return options;
}

// Everything a prompt goes through, on input that may be garbage: none of it may throw,
// except the emphasis parser on "(text:w)" with a malformed w, as A1111.
void parseEverything(const std::string& prompt) {
  try {
    (void)celerity::parseAttention(prompt);
  } catch (const CelerityError& e) {
    QCOMPARE(e.code(), ErrorCode::InvalidArgument);
  }
  (void)celerity::promptSchedule(prompt, 20);
  (void)celerity::promptSchedule(prompt, hires(20, 10, false));
  (void)celerity::multiCondPromptList({prompt});
  (void)celerity::extractExtraNetworks(prompt);
}

}  // namespace

class TestPromptParser : public QObject {
  Q_OBJECT

 private slots:
  void nestedEmphasis() {
    const double r = 1.1;
    const double s = 1 / 1.1;
    COMPARE_PIECES(celerity::parseAttention("((a))"), (Pieces{{"a", r * r}}));
    COMPARE_PIECES(celerity::parseAttention("(((a)))"), (Pieces{{"a", r * r * r}}));
    COMPARE_PIECES(celerity::parseAttention("[[a]]"), (Pieces{{"a", s * s}}));
    COMPARE_PIECES(celerity::parseAttention("([a])"), (Pieces{{"a", s * r}}));
    COMPARE_PIECES(celerity::parseAttention("((a:1.5) b)"), (Pieces{{"a", 1.5 * r}, {" b", r}}));
    COMPARE_PIECES(celerity::parseAttention("(a (b (c)))"),
                   (Pieces{{"a ", r}, {"b ", r * r}, {"c", r * r * r}}));
    // Open brackets close at the end, outer first; stray closers are text.
    COMPARE_PIECES(celerity::parseAttention("((a)"), (Pieces{{"a", r * r}}));
    COMPARE_PIECES(celerity::parseAttention("a ) b ]"), (Pieces{{"a ) b ]", 1.0}}));
    // The weight form needs an open round bracket; otherwise it is text.
    COMPARE_PIECES(celerity::parseAttention("a:1.5)"), (Pieces{{"a:1.5)", 1.0}}));
    COMPARE_PIECES(celerity::parseAttention("(a:  2 )"), (Pieces{{"a", 2.0}}));
  }

  void escapes() {
    COMPARE_PIECES(celerity::parseAttention("\\(a\\)"), (Pieces{{"(a)", 1.0}}));
    COMPARE_PIECES(celerity::parseAttention("\\[a\\]"), (Pieces{{"[a]", 1.0}}));
    COMPARE_PIECES(celerity::parseAttention("a\\\\b"), (Pieces{{"a\\b", 1.0}}));
    COMPARE_PIECES(celerity::parseAttention("a\\b"), (Pieces{{"ab", 1.0}}));
    COMPARE_PIECES(celerity::parseAttention("(\\(x\\))"), (Pieces{{"(x)", 1.1}}));
    COMPARE_PIECES(celerity::parseAttention("\\"), (Pieces{{"", 1.0}}));
  }

  void malformedWeightThrows() {
    try {
      (void)celerity::parseAttention("(word:0.5.1)");
      QFAIL("expected an error");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::InvalidArgument);
      QVERIFY(e.error().message.find("'0.5.1'") != std::string::npos);
    }
    // Without an open bracket the same text is harmless.
    COMPARE_PIECES(celerity::parseAttention("word:0.5.1)"), (Pieces{{"word:0.5.1)", 1.0}}));
  }

  void breaks() {
    const Pieces pieces = celerity::parseAttention("a BREAK b");
    QCOMPARE(pieces.size(), std::size_t(3));
    QVERIFY(celerity::isBreak(pieces[1]));
    // Weighted BREAK is text with a negative weight, as in A1111.
    const Pieces inside = celerity::parseAttention("(a BREAK b:1.2)");
    QCOMPARE(inside.size(), std::size_t(3));
    QCOMPARE(inside[1].text, std::string("BREAK"));
    QVERIFY(!celerity::isBreak(inside[1]));
    // Word boundaries follow Python's Unicode \w: CJK letters are word characters.
    COMPARE_PIECES(celerity::parseAttention("猫BREAK狗"), (Pieces{{"猫BREAK狗", 1.0}}));
    COMPARE_PIECES(celerity::parseAttention("猫 BREAK 狗"),
                   (Pieces{{"猫", 1.0}, {"BREAK", -1.0}, {"狗", 1.0}}));
    COMPARE_PIECES(celerity::parseAttention("a_BREAK b"), (Pieces{{"a_BREAK b", 1.0}}));
  }

  void unicodeClasses() {
    // \s includes NBSP, \d includes Arabic-Indic digits, which float() accepts.
    COMPARE_PIECES(celerity::parseAttention("(a:\u00a01.5)"), (Pieces{{"a", 1.5}}));
    COMPARE_PIECES(celerity::parseAttention("(a:١.٥)"), (Pieces{{"a", 1.5}}));
    COMPARE_SCHEDULE(celerity::promptSchedule("[a:b:\u00a03]", 10),
                     (PromptSchedule{{3, "a"}, {10, "b"}}));
    const auto multi = celerity::multiCondPromptList({"a AND b:١.٥"});
    QCOMPARE(multi.indexes[0][1].weight, 1.5);
  }

  void integerAndFractionalWhen() {
    COMPARE_SCHEDULE(celerity::promptSchedule("[a:b:1]", 10),
                     (PromptSchedule{{1, "a"}, {10, "b"}}));
    COMPARE_SCHEDULE(celerity::promptSchedule("[a:b:1.0]", 10), (PromptSchedule{{10, "a"}}));
    COMPARE_SCHEDULE(celerity::promptSchedule("[a:b:0.1]", 10),
                     (PromptSchedule{{1, "a"}, {10, "b"}}));
    COMPARE_SCHEDULE(celerity::promptSchedule("[a:b:.5]", 10),
                     (PromptSchedule{{5, "a"}, {10, "b"}}));
    COMPARE_SCHEDULE(celerity::promptSchedule("a [b:c:1e1] d", 20),
                     (PromptSchedule{{10, "a b d"}, {20, "a c d"}}));
    COMPARE_SCHEDULE(celerity::promptSchedule("[a:b:0]", 10), (PromptSchedule{{10, "b"}}));
    // Hires: integers count from the end of the first pass, fractions from 1.0; (1.2 − 1) · 10
    // is 1.9999999999999996 in doubles, so the switch is at step 1, as in A1111.
    COMPARE_SCHEDULE(celerity::promptSchedule("[a:b:22]", hires(20, 10, false)),
                     (PromptSchedule{{2, "a"}, {10, "b"}}));
    COMPARE_SCHEDULE(celerity::promptSchedule("[a:b:1.2]", hires(20, 10, false)),
                     (PromptSchedule{{1, "a"}, {10, "b"}}));
    COMPARE_SCHEDULE(celerity::promptSchedule("[a:b:1.2]", hires(20, 10, true)),
                     (PromptSchedule{{1, "a"}, {20, "b"}}));
    // An infinite `when` (A1111 raises) acts as "after the last step".
    COMPARE_SCHEDULE(celerity::promptSchedule("[a:b:1e999]", 10), (PromptSchedule{{10, "a"}}));
  }

  void editingSyntax() {
    COMPARE_SCHEDULE(celerity::promptSchedule("a [b:c:2] [d|e]", 4),
                     (PromptSchedule{{1, "a b d"}, {2, "a b e"}, {3, "a c d"}, {4, "a c e"}}));
    COMPARE_SCHEDULE(celerity::promptSchedule("([a:b:2]:1.2)", 4),
                     (PromptSchedule{{2, "(a:1.2)"}, {4, "(b:1.2)"}}));
    COMPARE_SCHEDULE(celerity::promptSchedule("\\[a:b:2\\]", 4),
                     (PromptSchedule{{4, "\\[a:b:2\\]"}}));
    COMPARE_SCHEDULE(celerity::promptSchedule("[a:b:1 2]", 4), (PromptSchedule{{4, "[a:b:1 2]"}}));
    // Rejected by the grammar: unchanged.
    COMPARE_SCHEDULE(celerity::promptSchedule("a | b [c:d:1]", 4),
                     (PromptSchedule{{4, "a | b [c:d:1]"}}));
    COMPARE_SCHEDULE(celerity::promptSchedule("[c:d:1] a\\", 4),
                     (PromptSchedule{{4, "[c:d:1] a\\"}}));
    const auto several = celerity::promptSchedules({"[a:b:1]", "x", "[a:b:1]"}, 2);
    QCOMPARE(several.size(), std::size_t(3));
    QVERIFY(several[0] == several[2]);
    QCOMPARE(celerity::ScheduleParser::matchNumber("1e5x", 0), std::size_t(3));
    QCOMPARE(celerity::ScheduleParser::matchNumber("1e", 0), std::size_t(1));
    QCOMPARE(celerity::ScheduleParser::matchNumber("-.5e-2]", 0), std::size_t(6));
    QCOMPARE(celerity::ScheduleParser::matchNumber("+.", 0), std::string::npos);
  }

  void multiCond() {
    const auto result = celerity::multiCondPromptList({"x:1.5 ", "ANDAND AND", "y :-.5\n"});
    QCOMPARE(result.flatPrompts, (std::vector<std::string>{"x", "ANDAND", "", "y"}));
    QCOMPARE(result.indexes.size(), std::size_t(3));
    QCOMPARE(result.indexes[0][0].weight, 1.5);
    QCOMPARE(result.indexes[1].size(), std::size_t(2));
    QCOMPARE(result.indexes[2][0].index, std::size_t(3));
    QCOMPARE(result.indexes[2][0].weight, -0.5);
    // A colon that is not followed by a number stays in the text.
    const auto plain = celerity::multiCondPromptList({"a:b AND c: 2x"});
    QCOMPARE(plain.flatPrompts, (std::vector<std::string>{"a:b", " c: 2x"}));
  }

  void extraNetworks() {
    const auto parsed = celerity::extractExtraNetworks(
        "<lora:detail:0.8> a cat, <lyco:style:0.5:0.25>, <hypernet:x:1> <lora:y:te=0.3:unet=0.7>"
        " <bad tag> <:x> <lora:>");
    QCOMPARE(parsed.text, std::string(" a cat, ,   <bad tag> <:x> <lora:>"));
    QCOMPARE(parsed.tags.size(), std::size_t(4));
    QCOMPARE(parsed.tags[0].type, std::string("lora"));
    QCOMPARE(parsed.tags[0].name, std::string("detail"));
    QCOMPARE(parsed.tags[0].args, (std::vector<std::string>{"detail", "0.8"}));
    QCOMPARE(parsed.tags[2].type, std::string("hypernet"));
    QVERIFY(!celerity::isLoraTag(parsed.tags[2]));

    const auto a = celerity::loraRequest(parsed.tags[0]);
    QCOMPARE(a.name, std::string("detail"));
    QCOMPARE(a.teWeight, 0.8);
    QCOMPARE(a.unetWeight, 0.8);  // defaults to the text-encoder multiplier
    QVERIFY(!a.dynDim);

    QVERIFY(celerity::isLoraTag(parsed.tags[1]));
    const auto b = celerity::loraRequest(parsed.tags[1]);
    QCOMPARE(b.teWeight, 0.5);
    QCOMPARE(b.unetWeight, 0.25);

    const auto c = celerity::loraRequest(parsed.tags[3]);
    QCOMPARE(c.name, std::string("y"));
    QCOMPARE(c.teWeight, 0.3);
    QCOMPARE(c.unetWeight, 0.7);

    const auto bare = celerity::extractExtraNetworks("<lora:only>");
    QVERIFY(bare.text.empty());
    const auto d = celerity::loraRequest(bare.tags.at(0));
    QCOMPARE(d.teWeight, 1.0);
    QCOMPARE(d.unetWeight, 1.0);

    const auto dyn =
        celerity::loraRequest(celerity::extractExtraNetworks("<lora:z:1:1:16>").tags.at(0));
    QCOMPARE(dyn.dynDim.value_or(0), 16LL);
    const auto spaced =
        celerity::loraRequest(celerity::extractExtraNetworks("<lora:z: 0.5 >").tags.at(0));
    QCOMPARE(spaced.teWeight, 0.5);

    // The arguments run to the first '>', newlines and '<' included.
    const auto greedy = celerity::extractExtraNetworks("<lora:a<b\n:1>c");
    QCOMPARE(greedy.text, std::string("c"));
    QCOMPARE(greedy.tags.at(0).args, (std::vector<std::string>{"a<b\n", "1"}));

    QVERIFY_THROWS_EXCEPTION(
        CelerityError,
        celerity::loraRequest(celerity::extractExtraNetworks("<lora:x:strong>").tags.at(0)));
    QVERIFY_THROWS_EXCEPTION(
        CelerityError,
        celerity::loraRequest(celerity::extractExtraNetworks("<lora:te=1>").tags.at(0)));
  }

  void garbageDoesNotThrow() {
    const std::vector<std::string> inputs = {
        "((((",
        "]]]",
        "))))",
        "[[[[",
        "(:::)",
        "[a:b:c:d]",
        "[::]",
        "[:]",
        "[|]",
        "||||",
        "[a|b:c]",
        "\\",
        "a\\\n",
        "((a]]",
        "[(a:1]:2)",
        "<<<<",
        "<:>",
        "<lora:",
        "AND AND",
        ":::0.5",
        "(a:)",
        "(a:-)",
        "(a:+.)",
        "[a:b:+]",
        "[a:b:-1e-999]",
        "BREAKBREAK BREAK",
        std::string("a\0b(c)", 6),
    };
    for (const auto& input : inputs) parseEverything(input);

    // Random bytes (mostly invalid UTF-8) and random mixtures of the syntax with UTF-8.
    std::mt19937 rng(1234);
    const std::vector<std::string> alphabet = {
        "(", ")", "[",  "]",     ":",   "|",          "\\", "1",    ".5",       " ",
        "a", "é", "猫", "BREAK", "AND", "<lora:x:1>", "\n", "\xff", "\xe7\x8c", "\u00a0"};
    for (int round = 0; round < 300; ++round) {
      std::string bytes;
      const int length = static_cast<int>(rng() % 64);
      for (int i = 0; i < length; ++i) bytes.push_back(static_cast<char>(rng() & 0xFF));
      parseEverything(bytes);
      std::string mixed;
      for (int i = 0; i < length; ++i) mixed += alphabet[rng() % alphabet.size()];
      parseEverything(mixed);
    }
  }

  void longPromptsAreFast() {
    std::string prompt;
    while (prompt.size() < 10000) prompt += "a (b:1.2) [c:d:0.5] [e|f] ((g)) <lora:h:0.5> AND ";
    prompt.resize(10000);
    const std::string open(10000, '(');
    const std::string square(5000, '[');
    std::string nested = square + "x" + std::string(5000, ']');
    std::string unclosed;
    while (unclosed.size() < 10000) unclosed += "[a:(b:[c|";

    for (const std::string* text :
         std::vector<const std::string*>{&prompt, &open, &nested, &unclosed}) {
      const auto start = std::chrono::steady_clock::now();
      parseEverything(*text);
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      qInfo("%zu characters starting '%s': %.2f ms", text->size(), text->substr(0, 12).c_str(), ms);
      // Linear-time parsing: a few ms; generous for a loaded machine.
      QVERIFY2(ms < 500, (std::to_string(ms) + " ms").c_str());
    }
    // Deep nesting is still parsed as structure.
    COMPARE_SCHEDULE(celerity::promptSchedule("[" + nested + ":2]", 3),
                     (PromptSchedule{{2, ""}, {3, nested}}));
  }
};

QTEST_GUILESS_MAIN(TestPromptParser)
#include "tst_prompt_parser.moc"
