#include "runtime/GraphedUNet.h"

namespace celerity {

#if !defined(CELERITY_WITH_CUDA)
// Without CUDA there is nothing to capture (the toggle is unavailable on the CPU); the CUDA
// build defines this in runtime/cuda/CudaGraphUNet.cpp.
std::unique_ptr<GraphedUNet> makeCudaGraphUNet() { return nullptr; }
#endif

}  // namespace celerity
