#include "runtime/cuda/CudaDeviceInfo.h"

#include <ATen/cuda/CUDAContext.h>

namespace celerity {

std::int64_t cudaTotalMemoryBytes(int deviceIndex) {
  const auto* properties = at::cuda::getDeviceProperties(static_cast<c10::DeviceIndex>(deviceIndex));
  return properties != nullptr ? static_cast<std::int64_t>(properties->totalGlobalMem) : 0;
}

}  // namespace celerity
