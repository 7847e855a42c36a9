#include "models/unet/Downsample.h"

namespace celerity {

DownsampleImpl::DownsampleImpl(std::int64_t channels, const at::TensorOptions& options) {
  op = register_module("op", layers::Conv2d(channels, channels, 3, 2, 1, options));
}

}  // namespace celerity
