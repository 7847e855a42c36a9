#include "models/unet/SpatialTransformer.h"

#include "models/unet/UNetConstants.h"

namespace celerity {

SpatialTransformerImpl::SpatialTransformerImpl(const SpatialTransformerOptions& spec_,
                                               const at::TensorOptions& options)
    : spec(spec_) {
  const auto channels = spec.channels;
  const auto inner = spec.heads * spec.headDim;
  norm = register_module("norm", layers::GroupNorm(kUNetNormGroups, channels, kSpatialTransformerNormEps, options));
  if (spec.linearProjection) {
    linearIn = register_module("proj_in", layers::Linear(channels, inner, true, options));
  } else {
    convIn = register_module("proj_in", layers::Conv2d(channels, inner, 1, 1, 0, options));
  }
  auto list = register_module("transformer_blocks", torch::nn::ModuleList());
  for (std::int64_t d = 0; d < spec.depth; ++d) {
    blocks.emplace_back(inner, spec.heads, spec.headDim, spec.contextDim, options);
    list->push_back(blocks.back());
  }
  if (spec.linearProjection) {
    linearOut = register_module("proj_out", layers::Linear(inner, channels, true, options));
  } else {
    convOut = register_module("proj_out", layers::Conv2d(inner, channels, 1, 1, 0, options));
  }
}

at::Tensor SpatialTransformerImpl::forward(const at::Tensor& x, const at::Tensor& context) {
  const auto batch = x.size(0), height = x.size(2), width = x.size(3);
  auto h = norm->forward(x);
  if (convIn) h = convIn->forward(h);
  // [B, C, H, W] → [B, H·W, C] tokens
  h = h.permute({0, 2, 3, 1}).reshape({batch, height * width, h.size(1)});
  if (linearIn) h = linearIn->forward(h);
  for (auto& block : blocks) h = block->forward(h, context);
  if (linearOut) h = linearOut->forward(h);
  h = h.reshape({batch, height, width, h.size(2)}).permute({0, 3, 1, 2}).contiguous();
  if (convOut) h = convOut->forward(h);
  return h + x;
}

}  // namespace celerity
