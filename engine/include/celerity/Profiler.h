#pragma once
// What a job's profile looks like to everyone outside the engine (the studio's overlay and
// timeline, the CLI report, the A/B runner): nested spans with stable stage names
// (DESIGN.md), their host times relative to the job's start, device time where a GPU ran
// them, the sampler step they belong to and the memory they peaked at. Plain values, no torch.
#include <cstdint>
#include <string>
#include <vector>

namespace celerity {

struct ProfileSpan {
  std::string name;             // stable stage name: "load.checkpoint", "sample.step", …
  int parent = -1;              // index of the enclosing span in JobProfile::spans; −1 = top level
  int depth = 0;                // 0 for top-level spans
  double startMs = 0.0;         // host time since the job started
  double endMs = 0.0;
  double deviceMs = -1.0;       // GPU time measured with device events; −1 = not measured
  int step = -1;                // sampler step (within its pass) for per-step spans; −1 otherwise
  std::int64_t memoryBytes = -1;  // peak device memory during the span on a GPU, resident set
                                  // at its end on the CPU; −1 = unknown

  double durationMs() const { return endMs - startMs; }
};

// One row of the flat per-stage view: every span of that name, wherever it is nested.
struct StageSummary {
  std::string name;
  int count = 0;
  double totalMs = 0.0;
  double meanMs = 0.0;
  double share = 0.0;  // totalMs / the job's wall time (nested stages overlap their parents)
  std::int64_t peakMemoryBytes = -1;
};

struct JobProfile {
  std::string label;                      // what ran ("txt2img 512×512, 20 steps, Euler a")
  std::string device;                     // "cpu", "cuda:0 (NVIDIA H100 …)"
  std::vector<std::string> optimizations;  // ids of the toggles that were on
  double wallMs = 0.0;                    // the job from start to end
  std::vector<ProfileSpan> spans;         // in begin order; a parent precedes its children

  // Stages in order of first appearance.
  std::vector<StageSummary> summary() const;
  // Indices of the direct children of `parent` (−1: the top-level spans).
  std::vector<int> children(int parent) const;
  // Throws CelerityError(Internal) naming the span when parents, depths or times are
  // inconsistent (a child outside its parent, a parent after its child, end before start).
  void checkWellFormed() const;
};

// Chrome trace event format (JSON object with "traceEvents"), one complete ("X") event per
// span, microseconds; opens in Perfetto and chrome://tracing. The profile's label, device and
// toggles travel in "otherData" so that the trace reads back into the same profile.
std::string toChromeTrace(const JobProfile& profile);
// Several profiles side by side (one process row each), e.g. the runs of an A/B bench.
std::string toChromeTrace(const std::vector<JobProfile>& profiles);
// Throws CelerityError(MalformedFile) with the offending event in `where`.
JobProfile profileFromChromeTrace(const std::string& json);
// Atomic write (temporary file + rename); throws CelerityError(FileUnreadable) on I/O errors.
void writeChromeTrace(const JobProfile& profile, const std::string& path);

}  // namespace celerity
