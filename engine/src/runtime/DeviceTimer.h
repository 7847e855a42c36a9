#pragma once
// Device-side timing for the profiler. A GPU implementation records events into the device's
// stream (no synchronization when recording) and resolves them once, when the job ends; the
// null implementation is what the CPU uses: nothing is measured.
#include <cstdint>

namespace celerity {

class DeviceTimer {
 public:
  virtual ~DeviceTimer() = default;

  // Records an event at the current point of the device's work; returns its id, or −1 when
  // nothing was recorded. Must not synchronize.
  virtual int record() = 0;
  // Device milliseconds between two recorded events; may block until `to` has completed, so
  // StageProfiler calls it only from finish(). Returns −1 when either id is unknown.
  virtual double elapsedMs(int from, int to) = 0;
  // Peak device memory in bytes since the previous call (or since construction), then starts a
  // new peak from the memory in use now; −1 when the device does not report memory.
  virtual std::int64_t peakBytesAndReset() = 0;
};

// The CPU: no device events, no device memory.
class NullDeviceTimer final : public DeviceTimer {
 public:
  int record() override { return -1; }
  double elapsedMs(int from, int to) override {
    (void)from;
    (void)to;
    return -1.0;
  }
  std::int64_t peakBytesAndReset() override { return -1; }
};

}  // namespace celerity
