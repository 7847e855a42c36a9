#pragma once
// How a UNet forward is executed. The default is an eager call; `unet.cuda_graphs` swaps in
// an executor that captures the forward once per input shape and replays it
// (runtime/cuda/CudaGraphUNet.h). Samplers and the CFG denoiser are unchanged either way.
#include <ATen/ATen.h>

#include "models/unet/UNetModel.h"

namespace celerity {

class UNetExecutor {
 public:
  virtual ~UNetExecutor() = default;
  // The UNet's output for inputs already on its device and in its dtype; `y` may be undefined.
  virtual at::Tensor forward(UNetModel& unet, const at::Tensor& x, const at::Tensor& t, const at::Tensor& context,
                             const at::Tensor& y) = 0;
};

}  // namespace celerity
