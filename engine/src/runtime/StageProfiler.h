#pragma once
// Records one job's profile while it runs: the job observer calls begin()/end() around every
// stage (strictly nested, on the engine thread) and finish() when the job ends. Per span the
// cost is two clock reads, two DeviceTimer calls and, on the CPU, one read of the resident set
// size; device times are resolved only in finish(), so nothing synchronizes per span.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "celerity/Profiler.h"
#include "runtime/DeviceTimer.h"

namespace celerity {

class StageProfiler {
 public:
  // Host time counts from construction. Without a timer (the CPU) nothing device-side is
  // measured and a span's memory is the resident set size at its end.
  explicit StageProfiler(std::unique_ptr<DeviceTimer> timer = nullptr);
  ~StageProfiler();
  StageProfiler(const StageProfiler&) = delete;
  StageProfiler& operator=(const StageProfiler&) = delete;

  void setLabel(std::string label);
  void setDevice(std::string device);
  void setOptimizations(std::vector<std::string> ids);  // the toggles that are on

  // Opens a span inside the innermost open one. `step`: the sampler step, −1 when none.
  void begin(const std::string& name, int step = -1);
  // Closes the innermost open span; throws CelerityError(Internal) when it is not `name`
  // (or nothing is open) — a mismatched end is a bug in the caller.
  void end(const std::string& name);
  // Closes the spans still open (a failed or cancelled job) at the current time, sets wallMs
  // and resolves the device times. Later calls return the same profile; begin()/end() after
  // it throw CelerityError(Internal).
  const JobProfile& finish();

  // The profile so far: before finish() the open spans have endMs == startMs.
  const JobProfile& profile() const { return profile_; }
  bool finished() const { return finished_; }
  int openSpanCount() const { return static_cast<int>(open_.size()); }
  // Host milliseconds since construction.
  double nowMs() const;

 private:
  struct OpenSpan {
    int index = -1;
    std::int64_t peakBytes = -1;  // device peak over the span so far
  };
  struct DeviceEvents {
    int begin = -1;
    int end = -1;
  };

  void closeInnermost(double endMs);
  void foldDevicePeak();
  std::int64_t residentBytes() const;
  void throwIfFinished(const char* call, const std::string& name) const;

  std::unique_ptr<DeviceTimer> timer_;
  std::chrono::steady_clock::time_point origin_;
  JobProfile profile_;
  std::vector<OpenSpan> open_;
  std::vector<DeviceEvents> events_;  // parallel to profile_.spans
  bool finished_ = false;
  int statmFd_ = -1;  // /proc/self/statm, kept open: one pread per span end
  std::int64_t pageBytes_ = 0;
};

}  // namespace celerity
