#include "models/unet/CrossAttention.h"

#include "models/common/Attention.h"
#include "models/unet/ModuleGroup.h"

namespace celerity {

CrossAttentionImpl::CrossAttentionImpl(std::int64_t queryDim, std::int64_t contextDim,
                                       std::int64_t heads_, std::int64_t headDim,
                                       const at::TensorOptions& options)
    : heads(heads_) {
  const auto inner = heads * headDim;
  toQ = register_module("to_q", layers::Linear(queryDim, inner, false, options));
  toK = register_module("to_k", layers::Linear(contextDim, inner, false, options));
  toV = register_module("to_v", layers::Linear(contextDim, inner, false, options));
  toOut = addModuleGroup(*this, "to_out")->register_module("0", layers::Linear(inner, queryDim, true, options));
}

at::Tensor CrossAttentionImpl::forward(const at::Tensor& x, const at::Tensor& context) {
  const auto& source = context.defined() ? context : x;
  const auto out = multiHeadAttention(toQ->forward(x), toK->forward(source), toV->forward(source), heads);
  return toOut->forward(out);  // to_out.1 is dropout: identity at inference
}

}  // namespace celerity
