// Job profiles: the flat summary, the well-formedness check and the Chrome trace format
// (https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU).
// Plain C++ + nlohmann_json: the UI links this without torch.
#include "celerity/Profiler.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <fstream>
#include <optional>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "celerity/Error.h"

namespace celerity {

namespace {

using nlohmann::json;

// Times are recorded in double milliseconds; a child may end a rounding error after its parent.
constexpr double kSlackMs = 1e-6;
constexpr double kMicrosPerMs = 1000.0;

std::string spanWhere(int index, const std::string& name) {
  return "span " + std::to_string(index) + " (" + name + ")";
}

struct SpanProblem {
  int index = -1;
  std::string message;
};

// The first inconsistency, if any; shared by checkWellFormed and the trace reader, which
// report it with different codes (a bug of ours vs. a bad file).
std::optional<SpanProblem> firstProblem(const std::vector<ProfileSpan>& spans) {
  const int count = static_cast<int>(spans.size());
  for (int i = 0; i < count; ++i) {
    const ProfileSpan& span = spans[i];
    if (!(span.endMs >= span.startMs)) {  // also rejects NaN
      return SpanProblem{i, "ends (" + std::to_string(span.endMs) + " ms) before it starts (" +
                                std::to_string(span.startMs) + " ms)"};
    }
    if (span.parent < -1 || span.parent >= count) {
      return SpanProblem{i, "parent index " + std::to_string(span.parent) + " is out of range"};
    }
    if (span.parent >= i) {
      return SpanProblem{i, "its parent (span " + std::to_string(span.parent) +
                                ") does not precede it"};
    }
    const int expectedDepth = span.parent < 0 ? 0 : spans[span.parent].depth + 1;
    if (span.depth != expectedDepth) {
      return SpanProblem{i, "depth " + std::to_string(span.depth) + " should be " +
                                std::to_string(expectedDepth)};
    }
    if (span.parent >= 0) {
      const ProfileSpan& parent = spans[span.parent];
      if (!(span.startMs >= parent.startMs - kSlackMs) || !(span.endMs <= parent.endMs + kSlackMs)) {
        return SpanProblem{i, "lies outside its parent " + spanWhere(span.parent, parent.name)};
      }
    }
  }
  return std::nullopt;
}

json otherDataOf(const JobProfile& profile) {
  return json{{"label", profile.label},
              {"device", profile.device},
              {"optimizations", profile.optimizations},
              {"wallMs", profile.wallMs}};
}

std::string categoryOf(const std::string& name) {
  const auto dot = name.find('.');
  return dot == std::string::npos ? name : name.substr(0, dot);
}

void appendEvents(const JobProfile& profile, int pid, json& events) {
  constexpr int kTid = 1;  // every stage runs on the engine thread
  const std::string processName = profile.label.empty() ? "job " + std::to_string(pid) : profile.label;
  events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", pid}, {"tid", kTid},
                    {"args", {{"name", processName}}}});
  events.push_back({{"name", "process_sort_index"}, {"ph", "M"}, {"pid", pid}, {"tid", kTid},
                    {"args", {{"sort_index", pid}}}});
  events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", pid}, {"tid", kTid},
                    {"args", {{"name", "engine"}}}});
  const int count = static_cast<int>(profile.spans.size());
  for (int i = 0; i < count; ++i) {
    const ProfileSpan& span = profile.spans[i];
    // ts/dur are what viewers draw; the exact milliseconds ride in args because ms → µs → ms
    // is not an exact round trip in floating point.
    events.push_back({{"name", span.name},
                      {"cat", categoryOf(span.name)},
                      {"ph", "X"},
                      {"ts", span.startMs * kMicrosPerMs},
                      {"dur", span.durationMs() * kMicrosPerMs},
                      {"pid", pid},
                      {"tid", kTid},
                      {"args",
                       {{"step", span.step},
                        {"deviceMs", span.deviceMs},
                        {"memoryBytes", span.memoryBytes},
                        {"parent", span.parent},
                        {"depth", span.depth},
                        {"startMs", span.startMs},
                        {"endMs", span.endMs}}}});
  }
}

[[noreturn]] void malformed(const std::string& message, const std::string& where) {
  throw CelerityError(ErrorCode::MalformedFile, message, where);
}

const json& member(const json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end()) malformed(std::string("has no \"") + key + "\"", where);
  return *it;
}

double numberAt(const json& object, const char* key, const std::string& where) {
  const json& value = member(object, key, where);
  if (!value.is_number()) malformed(std::string("\"") + key + "\" is not a number", where);
  return value.get<double>();
}

std::int64_t integerAt(const json& object, const char* key, const std::string& where) {
  const json& value = member(object, key, where);
  if (!value.is_number_integer()) malformed(std::string("\"") + key + "\" is not an integer", where);
  return value.get<std::int64_t>();
}

int intAt(const json& object, const char* key, const std::string& where) {
  const std::int64_t value = integerAt(object, key, where);
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    malformed(std::string("\"") + key + "\" is out of range", where);
  }
  return static_cast<int>(value);
}

std::string stringAt(const json& object, const char* key, const std::string& where) {
  const json& value = member(object, key, where);
  if (!value.is_string()) malformed(std::string("\"") + key + "\" is not a string", where);
  return value.get<std::string>();
}

// Reads label/device/optimizations/wallMs from an otherData entry.
void readJobFields(const json& data, const std::string& where, JobProfile& profile) {
  if (!data.is_object()) malformed("is not an object", where);
  profile.label = stringAt(data, "label", where);
  profile.device = stringAt(data, "device", where);
  profile.wallMs = numberAt(data, "wallMs", where);
  const json& toggles = member(data, "optimizations", where);
  if (!toggles.is_array()) malformed("\"optimizations\" is not an array", where);
  for (const json& id : toggles) {
    if (!id.is_string()) malformed("\"optimizations\" holds a non-string", where);
    profile.optimizations.push_back(id.get<std::string>());
  }
}

ProfileSpan readSpan(const json& event, const std::string& where) {
  ProfileSpan span;
  span.name = stringAt(event, "name", where);
  const json& args = member(event, "args", where);
  if (!args.is_object()) malformed("\"args\" is not an object", where);
  const std::string argsWhere = where + " args";
  span.parent = intAt(args, "parent", argsWhere);
  span.depth = intAt(args, "depth", argsWhere);
  span.step = intAt(args, "step", argsWhere);
  span.deviceMs = numberAt(args, "deviceMs", argsWhere);
  span.memoryBytes = integerAt(args, "memoryBytes", argsWhere);
  span.startMs = numberAt(args, "startMs", argsWhere);
  span.endMs = numberAt(args, "endMs", argsWhere);
  // The drawn times must agree with the exact ones (within the µs rounding of a viewer edit).
  const double tsMs = numberAt(event, "ts", where) / kMicrosPerMs;
  const double durMs = numberAt(event, "dur", where) / kMicrosPerMs;
  const double toleranceMs = 1e-3 + 1e-9 * std::abs(span.endMs);
  if (!(std::abs(tsMs - span.startMs) <= toleranceMs) ||
      !(std::abs(durMs - span.durationMs()) <= toleranceMs)) {
    malformed("\"ts\"/\"dur\" disagree with args startMs/endMs", where);
  }
  return span;
}

// Distinct per call, so that two writers of the same trace never share a temporary file.
std::string uniqueSuffix() {
  static std::atomic<unsigned> counter{0};
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  return std::to_string(static_cast<unsigned long long>(now)) + "." + std::to_string(counter++);
}

}  // namespace

std::vector<StageSummary> JobProfile::summary() const {
  std::vector<StageSummary> rows;
  std::unordered_map<std::string, std::size_t> rowOf;
  for (const ProfileSpan& span : spans) {
    auto [it, inserted] = rowOf.try_emplace(span.name, rows.size());
    if (inserted) {
      rows.emplace_back();
      rows.back().name = span.name;
    }
    StageSummary& row = rows[it->second];
    row.count += 1;
    row.totalMs += span.durationMs();
    row.peakMemoryBytes = std::max(row.peakMemoryBytes, span.memoryBytes);
  }
  for (StageSummary& row : rows) {
    row.meanMs = row.totalMs / row.count;
    row.share = wallMs > 0.0 ? row.totalMs / wallMs : 0.0;
  }
  return rows;
}

std::vector<int> JobProfile::children(int parent) const {
  std::vector<int> result;
  for (int i = 0; i < static_cast<int>(spans.size()); ++i) {
    if (spans[i].parent == parent) result.push_back(i);
  }
  return result;
}

void JobProfile::checkWellFormed() const {
  if (const auto problem = firstProblem(spans)) {
    throw CelerityError(ErrorCode::Internal, "inconsistent profile: " + problem->message,
                        spanWhere(problem->index, spans[problem->index].name));
  }
}

std::string toChromeTrace(const JobProfile& profile) {
  return toChromeTrace(std::vector<JobProfile>{profile});
}

std::string toChromeTrace(const std::vector<JobProfile>& profiles) {
  json events = json::array();
  for (std::size_t i = 0; i < profiles.size(); ++i) {
    appendEvents(profiles[i], static_cast<int>(i) + 1, events);
  }
  json otherData;
  if (profiles.size() == 1) {
    otherData = otherDataOf(profiles.front());
  } else {
    json list = json::array();
    for (std::size_t i = 0; i < profiles.size(); ++i) {
      json entry = otherDataOf(profiles[i]);
      entry["pid"] = static_cast<int>(i) + 1;
      list.push_back(std::move(entry));
    }
    otherData = json{{"profiles", std::move(list)}};
  }
  const json trace{{"traceEvents", std::move(events)},
                   {"displayTimeUnit", "ms"},
                   {"otherData", std::move(otherData)}};
  return trace.dump();
}

JobProfile profileFromChromeTrace(const std::string& text) {
  json trace;
  try {
    trace = json::parse(text);
  } catch (const json::exception& e) {
    malformed(std::string("not valid JSON: ") + e.what(), "chrome trace");
  }
  if (!trace.is_object()) malformed("expected a JSON object with \"traceEvents\"", "chrome trace");
  const json& events = member(trace, "traceEvents", "chrome trace");
  if (!events.is_array()) malformed("\"traceEvents\" is not an array", "chrome trace");
  const json& otherData = member(trace, "otherData", "chrome trace");
  if (!otherData.is_object()) malformed("is not an object", "otherData");

  JobProfile profile;
  if (otherData.contains("profiles")) {
    const json& list = otherData["profiles"];
    if (!list.is_array() || list.size() != 1) {
      malformed("the trace holds " + std::to_string(list.size()) +
                    " profiles; a JobProfile is read from a trace of one",
                "otherData.profiles");
    }
    readJobFields(list.front(), "otherData.profiles[0]", profile);
  } else {
    readJobFields(otherData, "otherData", profile);
  }

  std::optional<std::int64_t> pid;
  std::vector<std::size_t> eventOfSpan;  // to name the event when a span is inconsistent
  for (std::size_t i = 0; i < events.size(); ++i) {
    const json& event = events[i];
    const std::string where = "traceEvents[" + std::to_string(i) + "]";
    if (!event.is_object()) malformed("is not an object", where);
    const std::string phase = stringAt(event, "ph", where);
    if (phase != "X") continue;  // metadata and anything a viewer added
    const std::int64_t eventPid = integerAt(event, "pid", where);
    if (pid && *pid != eventPid) {
      malformed("spans of several processes; a JobProfile is read from a trace of one", where);
    }
    pid = eventPid;
    profile.spans.push_back(readSpan(event, where));
    eventOfSpan.push_back(i);
  }
  if (const auto problem = firstProblem(profile.spans)) {
    malformed(problem->message + " (" + spanWhere(problem->index, profile.spans[problem->index].name) + ")",
              "traceEvents[" + std::to_string(eventOfSpan[problem->index]) + "]");
  }
  return profile;
}

void writeChromeTrace(const JobProfile& profile, const std::string& path) {
  namespace fs = std::filesystem;
  const std::string text = toChromeTrace(profile);
  const fs::path target(path);
  // Same folder as the target, so that the rename cannot cross file systems.
  fs::path temporary = target;
  temporary += ".tmp" + uniqueSuffix();
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw CelerityError(ErrorCode::FileUnreadable,
                          "cannot create the trace file (is the folder there and writable?)", path);
    }
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) {
      out.close();
      std::error_code ignored;
      fs::remove(temporary, ignored);
      throw CelerityError(ErrorCode::FileUnreadable, "writing the trace failed (disk full?)", path);
    }
  }
  std::error_code error;
  fs::rename(temporary, target, error);
  if (error) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw CelerityError(ErrorCode::FileUnreadable, "cannot replace the trace file: " + error.message(),
                        path);
  }
}

}  // namespace celerity
