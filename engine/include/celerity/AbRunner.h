#pragma once
// The A/B runner: the same request with optimization toggles off (A) and on (B), interleaved
// (warm-up runs first, then A B A B …), reduced to per-stage medians, the ratio B/A and the
// difference between the images the two arms made. Without toggles it is a plain benchmark
// (arm A only). Runs through the GenerationEngine interface, so the CLI, the studio and the
// tests share it; plain C++, no torch.
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "celerity/Engine.h"

namespace celerity {

struct AbSettings {
  std::vector<std::string> toggles;  // flipped together: off in A, on in B; empty = benchmark
  int repeat = 3;                    // measured runs per arm
  int warmup = 1;                    // unmeasured runs per arm before them
  PreviewSettings previews{PreviewMethod::None, 1, 200};
};

struct StageStats {
  std::string name;
  int countPerRun = 0;  // spans of this name in one run (the median run's)
  double medianMs = 0.0;
  double minMs = 0.0;
  double maxMs = 0.0;
};

struct AbArm {
  std::string name;  // "A" or "B"
  OptimizationOverrides overrides;
  std::vector<JobProfile> runs;    // measured runs, in order
  std::vector<StageStats> stages;  // per stage over the runs (each run's total of that stage)
  StageStats wall;                 // the runs' wall times
  GeneratedImage image;            // the first image of the last measured run
};

struct ImageDifference {
  bool compared = false;  // false when an arm made no image or the sizes differ
  int maxAbs = 0;         // largest difference of one 8-bit channel value
  double meanAbs = 0.0;
  double psnr = std::numeric_limits<double>::infinity();  // dB; infinity when identical
};

struct AbReport {
  Request request;
  AbSettings settings;
  AbArm a;
  AbArm b;  // empty name when there was no toggle (benchmark only)
  ImageDifference difference;

  bool isAb() const { return !b.name.empty(); }
};

// Called after every run (warm-up included): arm name, run index (negative for warm-ups).
using AbProgress = std::function<void(const std::string& arm, int run, const JobResult& result)>;

// Throws CelerityError: InvalidArgument for an unknown toggle or repeat < 1, and the error of
// the first run that does not finish. The same engine may serve both arms; separate engines
// keep each arm's model cache apart (what cache toggles need).
AbReport runAb(GenerationEngine& engineA, GenerationEngine& engineB, const Request& request,
               const AbSettings& settings, const AbProgress& progress = {},
               const std::shared_ptr<CancelToken>& cancel = {});

ImageDifference compareImages(const GeneratedImage& a, const GeneratedImage& b);
// Statistics of a sample (median of an even count: the mean of the two middle values).
StageStats statsOf(const std::string& name, std::vector<double> valuesMs);

std::string formatAbReport(const AbReport& report);  // aligned text table
std::string abReportJson(const AbReport& report);    // everything machine-readable

}  // namespace celerity
