#pragma once
// DeviceTimer for a CUDA device: CUDA events (with timing) recorded into the device's current
// stream, resolved once when the profiler finishes; peak memory from LibTorch's caching
// allocator. Built only against a CUDA LibTorch (CELERITY_WITH_CUDA): the CUDA types stay in
// the .cpp, so any translation unit may include this header under that guard.
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/DeviceTimer.h"

namespace at::cuda {
struct CUDAEvent;
}  // namespace at::cuda

namespace celerity {

class CudaDeviceTimer final : public DeviceTimer {
 public:
  // deviceIndex: the CUDA device whose current stream the events go into (cuda:N → N).
  explicit CudaDeviceTimer(int deviceIndex);
  ~CudaDeviceTimer() override;
  CudaDeviceTimer(const CudaDeviceTimer&) = delete;
  CudaDeviceTimer& operator=(const CudaDeviceTimer&) = delete;

  int record() override;
  double elapsedMs(int from, int to) override;
  std::int64_t peakBytesAndReset() override;

 private:
  int deviceIndex_;
  std::vector<std::unique_ptr<at::cuda::CUDAEvent>> events_;
};

}  // namespace celerity
