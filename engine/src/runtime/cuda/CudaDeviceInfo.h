#pragma once
// CUDA-only facts about a device (built only against a CUDA LibTorch; no CUDA types here).
#include <cstdint>

namespace celerity {

std::int64_t cudaTotalMemoryBytes(int deviceIndex);

}  // namespace celerity
