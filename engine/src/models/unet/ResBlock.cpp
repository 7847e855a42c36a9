#include "models/unet/ResBlock.h"

#include "models/unet/ModuleGroup.h"
#include "models/unet/UNetConstants.h"

namespace celerity {

ResBlockImpl::ResBlockImpl(std::int64_t channels, std::int64_t outChannels, std::int64_t embedDim,
                           const at::TensorOptions& options) {
  auto in = addModuleGroup(*this, "in_layers");
  inNorm = in->register_module("0", layers::GroupNorm(kUNetNormGroups, channels, kResBlockNormEps, options));
  inConv = in->register_module("2", layers::Conv2d(channels, outChannels, 3, 1, 1, options));
  auto emb = addModuleGroup(*this, "emb_layers");
  embProjection = emb->register_module("1", layers::Linear(embedDim, outChannels, true, options));
  auto out = addModuleGroup(*this, "out_layers");
  outNorm = out->register_module("0", layers::GroupNorm(kUNetNormGroups, outChannels, kResBlockNormEps, options));
  outConv = out->register_module("3", layers::Conv2d(outChannels, outChannels, 3, 1, 1, options));
  if (channels != outChannels) {
    skip = register_module("skip_connection", layers::Conv2d(channels, outChannels, 1, 1, 0, options));
  }
}

at::Tensor ResBlockImpl::forward(const at::Tensor& x, const at::Tensor& emb) {
  auto h = inConv->forward(layers::silu(inNorm->forward(x)));
  h = h + embProjection->forward(layers::silu(emb)).unsqueeze(-1).unsqueeze(-1);
  h = outConv->forward(layers::silu(outNorm->forward(h)));  // dropout: identity at inference
  return (skip ? skip->forward(x) : x) + h;
}

}  // namespace celerity
