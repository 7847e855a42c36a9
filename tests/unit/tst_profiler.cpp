// Job profiles: the recorder's tree, the summary, the consistency check, the Chrome trace
// (round trip, fields, malformed input, atomic write) and the CLI table.
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "celerity/Profiler.h"
#include "runtime/DeviceTimer.h"
#include "runtime/ProfileReport.h"
#include "runtime/StageProfiler.h"

using namespace celerity;
using nlohmann::json;

namespace {

ProfileSpan makeSpan(std::string name, int parent, int depth, double startMs, double endMs,
                     std::int64_t memoryBytes = -1, int step = -1, double deviceMs = -1.0) {
  ProfileSpan span;
  span.name = std::move(name);
  span.parent = parent;
  span.depth = depth;
  span.startMs = startMs;
  span.endMs = endMs;
  span.memoryBytes = memoryBytes;
  span.step = step;
  span.deviceMs = deviceMs;
  return span;
}

constexpr std::int64_t kMiB = 1024 * 1024;

// load 0–10, sample 10–90 with three steps inside, vae.decode 90–100; wall 100 ms.
JobProfile handBuiltProfile() {
  JobProfile profile;
  profile.label = "txt2img 512×512, 3 steps, Euler a";
  profile.device = "cpu";
  profile.optimizations = {"load.mmap", "text.cache"};
  profile.wallMs = 100.0;
  profile.spans = {makeSpan("load.checkpoint", -1, 0, 0.0, 10.0, 100 * kMiB),
                   makeSpan("sample", -1, 0, 10.0, 90.0),
                   makeSpan("sample.step", 1, 1, 10.0, 30.0, 3 * kMiB, 0),
                   makeSpan("sample.step", 1, 1, 30.0, 50.0, 2 * kMiB, 1),
                   makeSpan("sample.step", 1, 1, 50.0, 90.0, -1, 2),
                   makeSpan("vae.decode", -1, 0, 90.0, 100.0, 50 * kMiB)};
  return profile;
}

// Every field, compared exactly (the trace must read back the same doubles).
void compareProfiles(const JobProfile& actual, const JobProfile& expected) {
  QCOMPARE(actual.label, expected.label);
  QCOMPARE(actual.device, expected.device);
  QCOMPARE(actual.optimizations, expected.optimizations);
  QVERIFY(actual.wallMs == expected.wallMs);
  QCOMPARE(actual.spans.size(), expected.spans.size());
  for (std::size_t i = 0; i < expected.spans.size(); ++i) {
    const ProfileSpan& a = actual.spans[i];
    const ProfileSpan& e = expected.spans[i];
    QCOMPARE(a.name, e.name);
    QCOMPARE(a.parent, e.parent);
    QCOMPARE(a.depth, e.depth);
    QVERIFY2(a.startMs == e.startMs, qPrintable(QString("span %1 start").arg(i)));
    QVERIFY2(a.endMs == e.endMs, qPrintable(QString("span %1 end").arg(i)));
    QVERIFY2(a.deviceMs == e.deviceMs, qPrintable(QString("span %1 deviceMs").arg(i)));
    QCOMPARE(a.step, e.step);
    QCOMPARE(a.memoryBytes, e.memoryBytes);
  }
}

// Calls `fn`, expects a CelerityError with `code`, returns its `where`.
template <typename Fn>
std::string expectError(Fn&& fn, ErrorCode code) {
  try {
    fn();
  } catch (const CelerityError& e) {
    if (e.code() != code) {
      qWarning("unexpected error: %s (%s)", e.what(), errorCodeName(e.code()));
      return "<wrong code>";
    }
    return e.error().where;
  }
  return "<no error>";
}

// A scripted device: event i happens at 10·i device-ms; peaks come from a list.
class FakeDeviceTimer : public DeviceTimer {
 public:
  explicit FakeDeviceTimer(std::vector<std::int64_t> peaks, int* elapsedCalls)
      : peaks_(std::move(peaks)), elapsedCalls_(elapsedCalls) {}
  int record() override { return events_++; }
  double elapsedMs(int from, int to) override {
    ++*elapsedCalls_;
    return 10.0 * (to - from);
  }
  std::int64_t peakBytesAndReset() override {
    return next_ < peaks_.size() ? peaks_[next_++] : -1;
  }

 private:
  std::vector<std::int64_t> peaks_;
  int* elapsedCalls_;
  int events_ = 0;
  std::size_t next_ = 0;
};

}  // namespace

class TestProfiler : public QObject {
  Q_OBJECT

 private slots:
  void nestedSpansFormAWellFormedTree() {
    StageProfiler profiler;
    profiler.setLabel("job");
    profiler.setDevice("cpu");
    profiler.setOptimizations({"load.mmap"});
    profiler.begin("load.checkpoint");
    profiler.end("load.checkpoint");
    profiler.begin("sample");
    for (int step = 0; step < 2; ++step) {
      profiler.begin("sample.step", step);
      QCOMPARE(profiler.openSpanCount(), 2);
      profiler.end("sample.step");
    }
    profiler.end("sample");
    profiler.begin("vae.decode");
    profiler.end("vae.decode");
    QVERIFY(!profiler.finished());
    const JobProfile& profile = profiler.finish();
    QVERIFY(profiler.finished());

    const std::vector<std::string> names{"load.checkpoint", "sample", "sample.step", "sample.step",
                                         "vae.decode"};
    const std::vector<int> parents{-1, -1, 1, 1, -1};
    const std::vector<int> depths{0, 0, 1, 1, 0};
    const std::vector<int> steps{-1, -1, 0, 1, -1};
    QCOMPARE(profile.spans.size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
      const ProfileSpan& span = profile.spans[i];
      QCOMPARE(span.name, names[i]);
      QCOMPARE(span.parent, parents[i]);
      QCOMPARE(span.depth, depths[i]);
      QCOMPARE(span.step, steps[i]);
      QCOMPARE(span.deviceMs, -1.0);  // no device timer on the CPU
      QVERIFY(span.endMs >= span.startMs);
      if (i > 0) QVERIFY(span.startMs >= profile.spans[i - 1].startMs);
#if defined(__linux__)
      QVERIFY2(span.memoryBytes > 0, "resident set size at the span's end");
#endif
    }
    QCOMPARE(profile.children(-1), (std::vector<int>{0, 1, 4}));
    QCOMPARE(profile.children(1), (std::vector<int>{2, 3}));
    QVERIFY(profile.children(2).empty());
    QVERIFY(profile.wallMs >= profile.spans.back().endMs);
    QCOMPARE(profile.label, std::string("job"));
    QCOMPARE(profile.device, std::string("cpu"));
    QCOMPARE(profile.optimizations, std::vector<std::string>{"load.mmap"});
    profile.checkWellFormed();

    // A finished profile stays as it is.
    QCOMPARE(expectError([&] { profiler.begin("save"); }, ErrorCode::Internal), std::string("profile job"));
    QCOMPARE(&profiler.finish(), &profile);
    QCOMPARE(profile.spans.size(), names.size());
  }

  void finishClosesOpenSpans() {
    StageProfiler profiler;
    profiler.begin("sample");
    profiler.begin("sample.step", 0);
    const JobProfile& profile = profiler.finish();
    QCOMPARE(profile.spans.size(), std::size_t(2));
    QCOMPARE(profile.spans[0].endMs, profile.wallMs);
    QCOMPARE(profile.spans[1].endMs, profile.wallMs);
    QCOMPARE(profiler.openSpanCount(), 0);
    profile.checkWellFormed();
  }

  void endMustMatchTheInnermostSpan() {
    StageProfiler profiler;
    QCOMPARE(expectError([&] { profiler.end("sample"); }, ErrorCode::Internal),
             std::string("stage sample"));
    profiler.begin("sample");
    profiler.begin("sample.step", 0);
    QCOMPARE(expectError([&] { profiler.end("sample"); }, ErrorCode::Internal),
             std::string("span 1 (sample.step)"));
    QCOMPARE(profiler.openSpanCount(), 2);  // a rejected end changes nothing
    profiler.end("sample.step");
    profiler.end("sample");
    QCOMPARE(expectError([&] { profiler.end("sample"); }, ErrorCode::Internal),
             std::string("stage sample"));
  }

  void deviceTimesResolveOnlyAtFinish() {
    int elapsedCalls = 0;
    // Peak calls: construction, begin(outer), begin(inner), end(inner), end(outer).
    auto timer = std::make_unique<FakeDeviceTimer>(
        std::vector<std::int64_t>{0, 5 * kMiB, 7 * kMiB, 9 * kMiB, 12 * kMiB}, &elapsedCalls);
    StageProfiler profiler(std::move(timer));
    profiler.begin("sample");          // event 0
    profiler.begin("sample.step", 0);  // event 1
    profiler.end("sample.step");       // event 2
    profiler.end("sample");            // event 3
    QCOMPARE(elapsedCalls, 0);         // nothing waits for the device per span
    QCOMPARE(profiler.profile().spans[0].deviceMs, -1.0);
    const JobProfile& profile = profiler.finish();
    QCOMPARE(elapsedCalls, 2);
    QCOMPARE(profile.spans[0].deviceMs, 30.0);
    QCOMPARE(profile.spans[1].deviceMs, 10.0);
    // The step ran during one interval (9 MiB); the outer span during three (7, 9, 12 MiB);
    // the 5 MiB before the first begin belong to no span.
    QCOMPARE(profile.spans[1].memoryBytes, 9 * kMiB);
    QCOMPARE(profile.spans[0].memoryBytes, 12 * kMiB);
  }

  void summaryCountsTotalsMeansShares() {
    const JobProfile profile = handBuiltProfile();
    profile.checkWellFormed();
    const std::vector<StageSummary> rows = profile.summary();
    QCOMPARE(rows.size(), std::size_t(4));
    const std::vector<std::string> names{"load.checkpoint", "sample", "sample.step", "vae.decode"};
    const std::vector<int> counts{1, 1, 3, 1};
    const std::vector<double> totals{10.0, 80.0, 80.0, 10.0};
    const std::vector<double> means{10.0, 80.0, 80.0 / 3.0, 10.0};
    const std::vector<double> shares{0.1, 0.8, 0.8, 0.1};
    const std::vector<std::int64_t> peaks{100 * kMiB, -1, 3 * kMiB, 50 * kMiB};
    for (std::size_t i = 0; i < rows.size(); ++i) {
      QCOMPARE(rows[i].name, names[i]);
      QCOMPARE(rows[i].count, counts[i]);
      QCOMPARE(rows[i].totalMs, totals[i]);
      QCOMPARE(rows[i].meanMs, means[i]);
      QCOMPARE(rows[i].share, shares[i]);
      QCOMPARE(rows[i].peakMemoryBytes, peaks[i]);
    }
    JobProfile noWall = profile;
    noWall.wallMs = 0.0;
    for (const StageSummary& row : noWall.summary()) QCOMPARE(row.share, 0.0);
    QVERIFY(JobProfile{}.summary().empty());
  }

  void checkWellFormedRejectsInconsistencies_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("where");
    QTest::newRow("end before start") << 0 << "span 2 (sample.step)";
    QTest::newRow("parent after child") << 1 << "span 2 (sample.step)";
    QTest::newRow("parent is itself") << 2 << "span 2 (sample.step)";
    QTest::newRow("parent out of range") << 3 << "span 5 (vae.decode)";
    QTest::newRow("wrong depth") << 4 << "span 3 (sample.step)";
    QTest::newRow("top level with depth") << 5 << "span 0 (load.checkpoint)";
    QTest::newRow("child starts before parent") << 6 << "span 2 (sample.step)";
    QTest::newRow("child ends after parent") << 7 << "span 4 (sample.step)";
    QTest::newRow("NaN time") << 8 << "span 5 (vae.decode)";
  }

  void checkWellFormedRejectsInconsistencies() {
    QFETCH(int, kind);
    QFETCH(QString, where);
    JobProfile profile = handBuiltProfile();
    auto& spans = profile.spans;
    switch (kind) {
      case 0: spans[2].endMs = spans[2].startMs - 1.0; break;
      case 1: spans[2].parent = 3; break;
      case 2: spans[2].parent = 2; break;
      case 3: spans[5].parent = 6; break;
      case 4: spans[3].depth = 2; break;
      case 5: spans[0].depth = 1; break;
      case 6: spans[2].startMs = 9.0; break;
      case 7: spans[4].endMs = 90.001; break;
      case 8: spans[5].endMs = std::nan(""); break;
    }
    QCOMPARE(QString::fromStdString(expectError([&] { profile.checkWellFormed(); }, ErrorCode::Internal)),
             where);
  }

  void checkWellFormedAllowsRoundingSlack() {
    JobProfile profile = handBuiltProfile();
    profile.spans[4].endMs = 90.0 + 5e-7;
    profile.spans[2].startMs = 10.0 - 5e-7;
    profile.checkWellFormed();
  }

  void chromeTraceRoundTripsEveryField() {
    JobProfile profile = handBuiltProfile();
    profile.wallMs = 1234.5678901234567;
    profile.spans[0].startMs = 0.1 + 0.2;  // not representable in µs either
    profile.spans[0].endMs = 1.0 / 3.0 + 7.0;
    profile.spans[0].deviceMs = 6.123456789012345;
    profile.spans[2].memoryBytes = std::int64_t(5) << 40;
    profile.spans[5].endMs = 1234.5678901234567;
    profile.spans[5].deviceMs = 0.0;
    profile.checkWellFormed();
    compareProfiles(profileFromChromeTrace(toChromeTrace(profile)), profile);

    compareProfiles(profileFromChromeTrace(toChromeTrace(JobProfile{})), JobProfile{});

    StageProfiler profiler;  // recorded times too
    profiler.setLabel("recorded");
    profiler.begin("text.encode");
    profiler.begin("text.tokenize");
    profiler.end("text.tokenize");
    profiler.end("text.encode");
    const JobProfile& recorded = profiler.finish();
    compareProfiles(profileFromChromeTrace(toChromeTrace(recorded)), recorded);
  }

  void chromeTraceHasTheExpectedFields() {
    const JobProfile profile = handBuiltProfile();
    const json trace = json::parse(toChromeTrace(profile));
    QVERIFY(trace.is_object());
    QCOMPARE(trace.at("displayTimeUnit").get<std::string>(), std::string("ms"));
    const json& other = trace.at("otherData");
    QCOMPARE(other.at("label").get<std::string>(), profile.label);
    QCOMPARE(other.at("device").get<std::string>(), profile.device);
    QCOMPARE(other.at("optimizations").get<std::vector<std::string>>(), profile.optimizations);
    QCOMPARE(other.at("wallMs").get<double>(), profile.wallMs);

    std::vector<json> spans;
    bool namedProcess = false;
    for (const json& event : trace.at("traceEvents")) {
      const std::string phase = event.at("ph").get<std::string>();
      QVERIFY(phase == "X" || phase == "M");
      QCOMPARE(event.at("pid").get<int>(), 1);
      if (phase == "X") spans.push_back(event);
      if (phase == "M" && event.at("name") == "process_name") {
        QCOMPARE(event.at("args").at("name").get<std::string>(), profile.label);
        namedProcess = true;
      }
    }
    QVERIFY(namedProcess);
    QCOMPARE(spans.size(), profile.spans.size());
    const std::vector<std::string> categories{"load", "sample", "sample", "sample", "sample", "vae"};
    for (std::size_t i = 0; i < spans.size(); ++i) {
      const json& event = spans[i];
      const ProfileSpan& span = profile.spans[i];
      QCOMPARE(event.at("name").get<std::string>(), span.name);
      QCOMPARE(event.at("cat").get<std::string>(), categories[i]);
      QCOMPARE(event.at("ts").get<double>(), span.startMs * 1000.0);
      QCOMPARE(event.at("dur").get<double>(), span.durationMs() * 1000.0);
      QVERIFY(event.at("tid").is_number_integer());
      const json& args = event.at("args");
      QCOMPARE(args.at("step").get<int>(), span.step);
      QCOMPARE(args.at("deviceMs").get<double>(), span.deviceMs);
      QCOMPARE(args.at("memoryBytes").get<std::int64_t>(), span.memoryBytes);
      QCOMPARE(args.at("parent").get<int>(), span.parent);
      QCOMPARE(args.at("depth").get<int>(), span.depth);
    }
    JobProfile save;
    save.spans = {makeSpan("save", -1, 0, 0.0, 1.0)};
    const json saveTrace = json::parse(toChromeTrace(save));
    for (const json& event : saveTrace.at("traceEvents")) {
      if (event.at("ph") == "X") QCOMPARE(event.at("cat").get<std::string>(), std::string("save"));
    }
  }

  void multiProfileTraceHasOnePidPerProfile() {
    JobProfile a = handBuiltProfile();
    a.label = "A: unet.cfg_batch off";
    JobProfile b = handBuiltProfile();
    b.label = "B: unet.cfg_batch on";
    b.optimizations = {"unet.cfg_batch"};
    JobProfile c;  // no spans, no label
    const json trace = json::parse(toChromeTrace(std::vector<JobProfile>{a, b, c}));
    std::map<int, int> spansPerPid;
    std::map<int, std::string> processNames;
    for (const json& event : trace.at("traceEvents")) {
      const int pid = event.at("pid").get<int>();
      if (event.at("ph") == "X") spansPerPid[pid] += 1;
      if (event.at("ph") == "M" && event.at("name") == "process_name") {
        processNames[pid] = event.at("args").at("name").get<std::string>();
      }
    }
    QCOMPARE(spansPerPid.size(), std::size_t(2));
    QCOMPARE(spansPerPid[1], int(a.spans.size()));
    QCOMPARE(spansPerPid[2], int(b.spans.size()));
    QCOMPARE(processNames.size(), std::size_t(3));
    QCOMPARE(processNames[1], a.label);
    QCOMPARE(processNames[2], b.label);
    QVERIFY(!processNames[3].empty());
    const json& listed = trace.at("otherData").at("profiles");
    QCOMPARE(listed.size(), std::size_t(3));
    QCOMPARE(listed[1].at("pid").get<int>(), 2);
    QCOMPARE(listed[1].at("optimizations").get<std::vector<std::string>>(), b.optimizations);
    // A profile is read from a trace of one; a list of one is the single-profile trace.
    QCOMPARE(expectError([&] { profileFromChromeTrace(trace.dump()); }, ErrorCode::MalformedFile),
             std::string("otherData.profiles"));
    QCOMPARE(toChromeTrace(std::vector<JobProfile>{a}), toChromeTrace(a));
  }

  void malformedTracesThrow_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("where");
    // Event 3 is the first span (three metadata events come first).
    QTest::newRow("not JSON") << 0 << "chrome trace";
    QTest::newRow("array form") << 1 << "chrome trace";
    QTest::newRow("no traceEvents") << 2 << "chrome trace";
    QTest::newRow("traceEvents not an array") << 3 << "chrome trace";
    QTest::newRow("no otherData") << 4 << "chrome trace";
    QTest::newRow("wallMs not a number") << 5 << "otherData";
    QTest::newRow("event without ph") << 6 << "traceEvents[4]";
    QTest::newRow("span without args") << 7 << "traceEvents[4]";
    QTest::newRow("args without parent") << 8 << "traceEvents[5] args";
    QTest::newRow("depth not an integer") << 9 << "traceEvents[6] args";
    QTest::newRow("parent out of range") << 10 << "traceEvents[5]";
    QTest::newRow("child outside parent") << 11 << "traceEvents[6]";
    QTest::newRow("ts disagrees") << 12 << "traceEvents[3]";
    QTest::newRow("event not an object") << 13 << "traceEvents[0]";
    QTest::newRow("two pids") << 14 << "traceEvents[8]";
  }

  void malformedTracesThrow() {
    QFETCH(int, kind);
    QFETCH(QString, where);
    json trace = json::parse(toChromeTrace(handBuiltProfile()));
    json& events = trace["traceEvents"];
    QCOMPARE(events[3].at("name").get<std::string>(), std::string("load.checkpoint"));
    std::string text;
    switch (kind) {
      case 0: text = "{\"traceEvents\": [,]"; break;
      case 1: text = events.dump(); break;
      case 2: trace.erase("traceEvents"); break;
      case 3: events = json::object(); break;
      case 4: trace.erase("otherData"); break;
      case 5: trace["otherData"]["wallMs"] = "100"; break;
      case 6: events[4].erase("ph"); break;
      case 7: events[4].erase("args"); break;
      case 8: events[5]["args"].erase("parent"); break;
      case 9: events[6]["args"]["depth"] = 1.5; break;
      case 10: events[5]["args"]["parent"] = 7; break;
      case 11:
        events[6]["args"]["startMs"] = 5.0;
        events[6]["ts"] = 5000.0;
        events[6]["dur"] = 45000.0;
        break;
      case 12: events[3]["ts"] = 2000.0; break;
      case 13: events[0] = 42; break;
      case 14: events[8]["pid"] = 2; break;
    }
    if (text.empty()) text = trace.dump();
    QCOMPARE(QString::fromStdString(expectError([&] { profileFromChromeTrace(text); },
                                                ErrorCode::MalformedFile)),
             where);
  }

  void writeChromeTraceIsAtomicAndReadable() {
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const std::string path = folder.filePath("job.trace.json").toStdString();
    JobProfile first = handBuiltProfile();
    writeChromeTrace(first, path);
    auto readBack = [&] {
      std::ifstream in(path, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      return profileFromChromeTrace(text.str());
    };
    compareProfiles(readBack(), first);
    JobProfile second = handBuiltProfile();  // replaces the file as a whole
    second.label = "second";
    second.spans.resize(1);
    writeChromeTrace(second, path);
    compareProfiles(readBack(), second);
    int files = 0;  // no temporary left behind
    for (const auto& entry : std::filesystem::directory_iterator(folder.path().toStdString())) {
      QCOMPARE(entry.path().filename().string(), std::string("job.trace.json"));
      ++files;
    }
    QCOMPARE(files, 1);

    const std::string unwritable = folder.filePath("missing/folder/job.trace.json").toStdString();
    try {
      writeChromeTrace(first, unwritable);
      QFAIL("writing into a missing folder succeeded");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::FileUnreadable);
      QCOMPARE(e.error().where, unwritable);
      QVERIFY(std::string(e.what()).find(unwritable) != std::string::npos);
    }
  }

  void formatsAnAlignedStageTable() {
    const std::string table = formatStageTable(handBuiltProfile());
    std::vector<std::string> lines;
    std::stringstream in(table);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    QCOMPARE(lines.size(), std::size_t(6));  // header, four stages, wall
    for (const std::string& line : lines) QCOMPARE(line.size(), lines[0].size());
    QVERIFY(lines[0].rfind("stage", 0) == 0);
    for (const char* column : {"count", "total ms", "mean ms", "share %", "peak MiB"}) {
      QVERIFY2(lines[0].find(column) != std::string::npos, column);
    }
    auto cells = [](const std::string& line) {
      std::vector<std::string> out;
      std::stringstream words(line);
      for (std::string word; words >> word;) out.push_back(word);
      return out;
    };
    QCOMPARE(cells(lines[1]), (std::vector<std::string>{"load.checkpoint", "1", "10.00", "10.00", "10.0", "100.0"}));
    QCOMPARE(cells(lines[2]), (std::vector<std::string>{"sample", "1", "80.00", "80.00", "80.0", "-"}));
    QCOMPARE(cells(lines[3]), (std::vector<std::string>{"sample.step", "3", "80.00", "26.67", "80.0", "3.0"}));
    QCOMPARE(cells(lines[4]), (std::vector<std::string>{"vae.decode", "1", "10.00", "10.00", "10.0", "50.0"}));
    QCOMPARE(cells(lines[5]), (std::vector<std::string>{"wall", "100.00", "100.0", "100.0"}));
  }

  // Not timed (no assertion on speed); prints the per-span cost so that it stays visible.
  void recordsManySpans() {
    constexpr int kSpans = 100000;
    StageProfiler profiler;
    profiler.begin("sample");
    const auto start = std::chrono::steady_clock::now();
    for (int i = 1; i < kSpans; ++i) {
      profiler.begin("sample.step", i);
      profiler.end("sample.step");
    }
    const auto stop = std::chrono::steady_clock::now();
    profiler.end("sample");
    const JobProfile& profile = profiler.finish();
    QCOMPARE(profile.spans.size(), std::size_t(kSpans));
    QCOMPARE(profile.children(0).size(), std::size_t(kSpans - 1));
    QCOMPARE(profile.summary().at(1).count, kSpans - 1);
    profile.checkWellFormed();
    const double nsPerSpan =
        std::chrono::duration<double, std::nano>(stop - start).count() / (kSpans - 1);
    qInfo("StageProfiler: %.0f ns per span (begin + end, incl. resident-set read)", nsPerSpan);
  }
};

QTEST_APPLESS_MAIN(TestProfiler)
#include "tst_profiler.moc"
