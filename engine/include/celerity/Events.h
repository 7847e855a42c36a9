#pragma once
// What a running job tells its caller, as per-job events (never global callbacks): queued,
// started, progress, previews, stage records, and exactly one final event — finished,
// cancelled or failed. The engine calls a sink on the thread that runs the job; a front end
// forwards the events to its own thread (the studio turns them into queued Qt signals).
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "celerity/Error.h"
#include "celerity/GeneratedImage.h"
#include "celerity/Profiler.h"

namespace celerity {

using JobId = std::uint64_t;

enum class CancelMode {
  Invalid = 0,
  None,
  CancelAll,           // stop at the next check (every sampler step, between stages)
  FinishCurrentImage,  // let the running batch finish, then stop (the job ends "finished")
};

// Shared between the front end (which sets it from any thread) and the engine (which polls
// it). Setting it never blocks.
class CancelToken {
 public:
  void cancelAll() { all_.store(true, std::memory_order_relaxed); }
  void finishCurrentImage() { afterImage_.store(true, std::memory_order_relaxed); }
  void reset() {
    all_.store(false, std::memory_order_relaxed);
    afterImage_.store(false, std::memory_order_relaxed);
  }
  CancelMode mode() const {
    if (all_.load(std::memory_order_relaxed)) return CancelMode::CancelAll;
    if (afterImage_.load(std::memory_order_relaxed)) return CancelMode::FinishCurrentImage;
    return CancelMode::None;
  }
  const std::atomic<bool>& allFlag() const { return all_; }
  const std::atomic<bool>& afterImageFlag() const { return afterImage_; }

 private:
  std::atomic<bool> all_{false};
  std::atomic<bool> afterImage_{false};
};

struct ProgressEvent {
  std::string pass;      // "sample" or "hires"
  int step = 0;          // steps done in this pass (1 … steps)
  int steps = 0;
  int batch = 0;         // 0-based batch of the job
  int batches = 1;
  double itPerSecond = 0.0;  // over the steps of this pass so far
  double elapsedMs = 0.0;    // since the job started
  double etaMs = -1.0;       // −1 until it can be estimated
};

enum class PreviewMethod {
  Invalid = 0,
  None,
  Projection,  // latent → RGB linear factors: free
  Taesd,       // the small distilled decoder (user-supplied weights)
  FullVae,     // the model's own VAE: exact, slow
};
const char* previewMethodName(PreviewMethod method);  // "none", "projection", "taesd", "vae"
// Throws CelerityError(InvalidArgument) for an unknown name.
PreviewMethod previewMethodFromName(const std::string& name);

struct PreviewEvent {
  std::string pass;
  int step = 0;  // the step it shows (1-based)
  int steps = 0;
  int batch = 0;
  PreviewMethod method = PreviewMethod::Invalid;
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;  // width × height × 3, the first image of the batch
};

struct JobOutput {
  std::vector<GeneratedImage> images;
  std::vector<std::string> savedPaths;  // parallel to images; empty strings when not saved
  JobProfile profile;
  bool stoppedEarly = false;  // "finish current image and stop" skipped later batches
};

class JobEventSink {
 public:
  virtual ~JobEventSink() = default;

  virtual void onQueued(JobId job) { (void)job; }
  virtual void onStarted(JobId job, const std::string& label) {
    (void)job;
    (void)label;
  }
  virtual void onProgress(JobId job, const ProgressEvent& progress) {
    (void)job;
    (void)progress;
  }
  virtual void onPreview(JobId job, const PreviewEvent& preview) {
    (void)job;
    (void)preview;
  }
  // A stage began (ended = false: only name, parent, depth, startMs and step are set) or ended.
  virtual void onStage(JobId job, const ProfileSpan& span, bool ended) {
    (void)job;
    (void)span;
    (void)ended;
  }
  // Exactly one of the three final events ends every job.
  virtual void onFinished(JobId job, const JobOutput& output) {
    (void)job;
    (void)output;
  }
  virtual void onCancelled(JobId job, const JobProfile& profile) {
    (void)job;
    (void)profile;
  }
  // `partial` keeps whatever the job made before failing (e.g. images a full disk refused).
  virtual void onFailed(JobId job, const Error& error, const JobOutput& partial) {
    (void)job;
    (void)error;
    (void)partial;
  }
};

}  // namespace celerity
