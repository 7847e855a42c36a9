#include "runtime/cuda/CudaDeviceTimer.h"

#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAEvent.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>

namespace celerity {

namespace {

// StatType::AGGREGATE (both pools); its index is 0 in LibTorch 1.13 and 2.x alike, while the
// enum's namespace moved in 2.x (c10::CachingAllocator).
constexpr std::size_t kAggregatePool = 0;

bool validId(int id, std::size_t count) { return id >= 0 && static_cast<std::size_t>(id) < count; }

}  // namespace

CudaDeviceTimer::CudaDeviceTimer(int deviceIndex) : deviceIndex_(deviceIndex) {}

CudaDeviceTimer::~CudaDeviceTimer() = default;

int CudaDeviceTimer::record() {
  // cudaEventDefault: LibTorch's default flags disable timing.
  auto event = std::make_unique<at::cuda::CUDAEvent>(cudaEventDefault);
  event->record(c10::cuda::getCurrentCUDAStream(static_cast<c10::DeviceIndex>(deviceIndex_)));
  events_.push_back(std::move(event));
  return static_cast<int>(events_.size() - 1);
}

double CudaDeviceTimer::elapsedMs(int from, int to) {
  if (!validId(from, events_.size()) || !validId(to, events_.size())) return -1.0;
  // cudaEventElapsedTime fails with cudaErrorNotReady on an event still in flight.
  events_[static_cast<std::size_t>(from)]->synchronize();
  events_[static_cast<std::size_t>(to)]->synchronize();
  return static_cast<double>(
      events_[static_cast<std::size_t>(from)]->elapsed_time(*events_[static_cast<std::size_t>(to)]));
}

std::int64_t CudaDeviceTimer::peakBytesAndReset() {
  const auto device = static_cast<c10::DeviceIndex>(deviceIndex_);
  const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device);
  const std::int64_t peak = stats.allocated_bytes[kAggregatePool].peak;
  c10::cuda::CUDACachingAllocator::resetPeakStats(device);
  return peak;
}

}  // namespace celerity
