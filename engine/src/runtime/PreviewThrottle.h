#pragma once
// Decides which sampler steps get a live preview: every N steps, and — while the
// `preview.throttle` toggle is on — at least M ms after the previous preview.
//
// Steps are counted as ProgressEvent does: `step` = steps done in the pass, 1 … steps. A step
// previews when step % N == 0, A1111's test (`sampling_step % show_progress_every_n_steps
// == 0`) applied to that 1-based count: N = 1 previews every step including the first, N = 3
// previews steps 3, 6, 9, …. The last step is not forced: the final image follows anyway.
// N ≤ 0 turns previews off. The interval counts from the previous preview this throttle
// allowed (in any pass, until reset()), so the first preview of a job is never held back.
#include <functional>

namespace celerity {

class PreviewThrottle {
 public:
  using Clock = std::function<double()>;  // monotonic milliseconds

  // `nowMs` defaults to std::chrono::steady_clock.
  PreviewThrottle(int everySteps, int minIntervalMs, bool throttleOn, Clock nowMs = {});

  // True when `step` (1-based) gets a preview; a true answer stamps the time as the last
  // preview's, so call it once per step and render when it says so.
  bool shouldPreview(int step);

  // Forgets the last preview (a new job).
  void reset();

  int everySteps() const { return everySteps_; }
  int minIntervalMs() const { return minIntervalMs_; }
  bool throttleOn() const { return throttleOn_; }
  int previewsAllowed() const { return allowed_; }

  static double steadyNowMs();

 private:
  int everySteps_;
  int minIntervalMs_;
  bool throttleOn_;
  Clock nowMs_;
  bool havePrevious_ = false;
  double previousMs_ = 0.0;
  int allowed_ = 0;
};

}  // namespace celerity
