#pragma once
// What the engine asks of its device beyond LibTorch's common API: an event timer for the
// profiler and the memory size for the residency budget. CUDA builds answer from
// runtime/cuda/; CPU builds get no timer and no device memory.
#include <cstdint>
#include <memory>

#include <c10/core/Device.h>

#include "runtime/DeviceTimer.h"

namespace celerity {

// CUDA events for a CUDA device; null (host clock only) otherwise.
std::unique_ptr<DeviceTimer> makeDeviceTimer(const c10::Device& device);
// Total memory of a CUDA device in bytes; 0 for the CPU or when unknown.
std::int64_t deviceMemoryBytes(const c10::Device& device);

}  // namespace celerity
