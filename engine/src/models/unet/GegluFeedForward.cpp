#include "models/unet/GegluFeedForward.h"

#include "models/unet/ModuleGroup.h"

namespace celerity {

GegluFeedForwardImpl::GegluFeedForwardImpl(std::int64_t dim, std::int64_t innerDim,
                                           const at::TensorOptions& options) {
  auto net = addModuleGroup(*this, "net");
  projection = addModuleGroup(*net, "0")->register_module("proj", layers::Linear(dim, 2 * innerDim, true, options));
  output = net->register_module("2", layers::Linear(innerDim, dim, true, options));
}

at::Tensor GegluFeedForwardImpl::forward(const at::Tensor& x) {
  const auto parts = projection->forward(x).chunk(2, -1);
  return output->forward(parts[0] * layers::gelu(parts[1]));  // net.1 is dropout
}

}  // namespace celerity
