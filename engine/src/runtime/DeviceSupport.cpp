#include "runtime/DeviceSupport.h"

#if defined(CELERITY_WITH_CUDA)
#include "runtime/cuda/CudaDeviceInfo.h"
#include "runtime/cuda/CudaDeviceTimer.h"
#endif

namespace celerity {

std::unique_ptr<DeviceTimer> makeDeviceTimer(const c10::Device& device) {
#if defined(CELERITY_WITH_CUDA)
  if (device.is_cuda()) return std::make_unique<CudaDeviceTimer>(device.has_index() ? device.index() : 0);
#endif
  (void)device;
  return nullptr;
}

std::int64_t deviceMemoryBytes(const c10::Device& device) {
#if defined(CELERITY_WITH_CUDA)
  if (device.is_cuda()) return cudaTotalMemoryBytes(device.has_index() ? device.index() : 0);
#endif
  (void)device;
  return 0;
}

}  // namespace celerity
