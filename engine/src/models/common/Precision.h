#pragma once
// "Half precision" per device: fp16 on CUDA (tensor cores), bf16 on the CPU (LibTorch's CPU
// convolutions and matmuls have bf16 kernels, few fp16 ones). The CPU's bf16 is not offered
// as a toggle (the self-test measures it as information only): its error on random weights
// is far above the half-precision tolerance.
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

namespace celerity {

inline c10::ScalarType halfTypeFor(const c10::Device& device) {
  return device.is_cuda() ? c10::kHalf : c10::kBFloat16;
}

}  // namespace celerity
