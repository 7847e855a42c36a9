#pragma once
// The engine's side of one running job: turns the pipeline's stage, pass and step callbacks
// into profiler spans and the job's events — progress with it/s and ETA, throttled previews,
// stage records. Lives for one job on the engine thread.
#include <chrono>
#include <functional>
#include <string>

#include "celerity/Engine.h"
#include "pipeline/StageObserver.h"
#include "runtime/PreviewThrottle.h"
#include "runtime/StageProfiler.h"

namespace celerity {

// Renders the sampler's current `denoised` latent into a preview image (8-bit RGB).
using PreviewFunction = std::function<PreviewEvent(const at::Tensor& denoised)>;

class JobObserver final : public StageObserver {
 public:
  JobObserver(JobId job, JobEventSink* events, StageProfiler& profiler, PreviewSettings previews,
              bool throttlePreviews, PreviewFunction renderPreview);

  void onStageBegin(const std::string& stage) override;
  void onStageEnd(const std::string& stage) override;
  void onPass(const std::string& pass, int steps, int batch, int batches) override;
  void onStep(int step, int total, const at::Tensor& latent, const at::Tensor& denoised) override;

  int previewsSent() const { return previewsSent_; }

 private:
  using Clock = std::chrono::steady_clock;
  double msSince(Clock::time_point start) const;
  void beginSpan(const std::string& stage, int step);
  void endSpan(const std::string& stage);
  void sendProgress(int total);

  JobId job_;
  JobEventSink* events_;
  StageProfiler& profiler_;
  PreviewSettings previews_;
  PreviewThrottle throttle_;
  PreviewFunction renderPreview_;

  Clock::time_point jobStart_ = Clock::now();
  Clock::time_point passStart_ = Clock::now();
  std::string pass_ = "sample";
  int passSteps_ = 0;
  int stepsDone_ = 0;
  int batch_ = 0;
  int batches_ = 1;
  int previewsSent_ = 0;
};

}  // namespace celerity
