#include "models/unet/BasicTransformerBlock.h"

#include "models/unet/UNetConstants.h"

namespace celerity {

BasicTransformerBlockImpl::BasicTransformerBlockImpl(std::int64_t dim, std::int64_t heads,
                                                     std::int64_t headDim, std::int64_t contextDim,
                                                     const at::TensorOptions& options) {
  // Registration order follows the reference module, so names list in checkpoint order.
  attn1 = register_module("attn1", CrossAttention(dim, dim, heads, headDim, options));
  ff = register_module("ff", GegluFeedForward(dim, kFeedForwardMult * dim, options));
  attn2 = register_module("attn2", CrossAttention(dim, contextDim > 0 ? contextDim : dim, heads, headDim, options));
  norm1 = register_module("norm1", layers::LayerNorm(dim, kTransformerLayerNormEps, options));
  norm2 = register_module("norm2", layers::LayerNorm(dim, kTransformerLayerNormEps, options));
  norm3 = register_module("norm3", layers::LayerNorm(dim, kTransformerLayerNormEps, options));
}

at::Tensor BasicTransformerBlockImpl::forward(const at::Tensor& x, const at::Tensor& context) {
  auto h = attn1->forward(norm1->forward(x)) + x;
  h = attn2->forward(norm2->forward(h), context) + h;
  return ff->forward(norm3->forward(h)) + h;
}

}  // namespace celerity
