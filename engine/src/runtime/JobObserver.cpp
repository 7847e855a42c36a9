#include "runtime/JobObserver.h"

#include "pipeline/StageObserver.h"

namespace celerity {

JobObserver::JobObserver(JobId job, JobEventSink* events, StageProfiler& profiler, PreviewSettings previews,
                         bool throttlePreviews, PreviewFunction renderPreview)
    : job_(job),
      events_(events),
      profiler_(profiler),
      previews_(previews),
      throttle_(previews.method == PreviewMethod::None ? 0 : previews.everySteps, previews.minIntervalMs,
                throttlePreviews),
      renderPreview_(std::move(renderPreview)) {}

double JobObserver::msSince(Clock::time_point start) const {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void JobObserver::onStageBegin(const std::string& stage) {
  // A model evaluation belongs to the step the sampler is on (the steps done so far).
  beginSpan(stage, stage == stages::kSampleStep ? stepsDone_ : -1);
}

void JobObserver::onStageEnd(const std::string& stage) { endSpan(stage); }

void JobObserver::beginSpan(const std::string& stage, int step) {
  profiler_.begin(stage, step);
  if (events_ != nullptr) {
    const auto& spans = profiler_.profile().spans;
    events_->onStage(job_, spans.back(), false);
  }
}

void JobObserver::endSpan(const std::string& stage) {
  profiler_.end(stage);
  if (events_ == nullptr) return;
  // The span just closed is the last one of that name whose end is set.
  const auto& spans = profiler_.profile().spans;
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
    if (it->name == stage) {
      events_->onStage(job_, *it, true);
      break;
    }
  }
}

void JobObserver::onPass(const std::string& pass, int steps, int batch, int batches) {
  pass_ = pass;
  passSteps_ = steps;
  stepsDone_ = 0;
  batch_ = batch;
  batches_ = batches;
  passStart_ = Clock::now();
}

void JobObserver::sendProgress(int total) {
  ProgressEvent progress;
  progress.pass = pass_;
  progress.step = stepsDone_;
  progress.steps = total;
  progress.batch = batch_;
  progress.batches = batches_;
  progress.elapsedMs = msSince(jobStart_);
  const double passMs = msSince(passStart_);
  if (passMs > 0.0) progress.itPerSecond = stepsDone_ * 1000.0 / passMs;
  if (progress.itPerSecond > 0.0) {
    // This pass's remaining steps, then the later batches' passes at the same rate.
    const double remainingSteps = (total - stepsDone_) + static_cast<double>(batches_ - batch_ - 1) * total;
    progress.etaMs = remainingSteps * 1000.0 / progress.itPerSecond;
  }
  events_->onProgress(job_, progress);
}

void JobObserver::onStep(int step, int total, const at::Tensor& latent, const at::Tensor& denoised) {
  (void)latent;
  stepsDone_ = step + 1;
  if (passSteps_ <= 0) passSteps_ = total;
  if (events_ != nullptr) sendProgress(total);

  // Rendered even without a listener: a benchmark measures what previews cost.
  if (!renderPreview_ || !throttle_.shouldPreview(stepsDone_)) return;
  beginSpan(stages::kPreview, step);
  PreviewEvent preview;
  try {
    preview = renderPreview_(denoised);
  } catch (...) {
    endSpan(stages::kPreview);
    throw;
  }
  endSpan(stages::kPreview);
  preview.pass = pass_;
  preview.step = stepsDone_;
  preview.steps = total;
  preview.batch = batch_;
  ++previewsSent_;
  if (events_ != nullptr) events_->onPreview(job_, preview);
}

}  // namespace celerity
