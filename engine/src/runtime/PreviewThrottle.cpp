#include "runtime/PreviewThrottle.h"

#include <chrono>
#include <utility>

namespace celerity {

double PreviewThrottle::steadyNowMs() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

PreviewThrottle::PreviewThrottle(int everySteps, int minIntervalMs, bool throttleOn, Clock nowMs)
    : everySteps_(everySteps),
      minIntervalMs_(minIntervalMs < 0 ? 0 : minIntervalMs),
      throttleOn_(throttleOn),
      nowMs_(nowMs ? std::move(nowMs) : Clock(&PreviewThrottle::steadyNowMs)) {}

bool PreviewThrottle::shouldPreview(int step) {
  if (everySteps_ <= 0 || step < 1 || step % everySteps_ != 0) return false;
  // The clock is read only for steps the cadence allows: nothing to pay otherwise.
  const double now = nowMs_();
  if (throttleOn_ && havePrevious_ && now - previousMs_ < minIntervalMs_) return false;
  havePrevious_ = true;
  previousMs_ = now;
  ++allowed_;
  return true;
}

void PreviewThrottle::reset() {
  havePrevious_ = false;
  previousMs_ = 0.0;
  allowed_ = 0;
}

}  // namespace celerity
