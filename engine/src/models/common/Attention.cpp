#include "models/common/Attention.h"

#include <cmath>
#include <limits>

#include <torch/version.h>

namespace celerity {

at::Tensor multiHeadAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                              std::int64_t heads, const at::Tensor& mask) {
  const auto batch = q.size(0);
  const auto queries = q.size(1);
  const auto keys = k.size(1);
  const auto headDim = q.size(2) / heads;
  // [B, N, H*D] -> [B, H, N, D]
  auto qh = q.view({batch, queries, heads, headDim}).transpose(1, 2);
  auto kh = k.view({batch, keys, heads, headDim}).transpose(1, 2);
  auto vh = v.view({batch, keys, heads, headDim}).transpose(1, 2);
  at::Tensor out;
#if TORCH_VERSION_MAJOR >= 2
  out = at::scaled_dot_product_attention(qh, kh, vh, mask.defined() ? c10::optional<at::Tensor>(mask)
                                                                    : c10::nullopt);
#else
  const double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
  auto scores = at::matmul(qh, kh.transpose(-2, -1)) * scale;
  if (mask.defined()) scores = scores + mask;
  out = at::matmul(at::softmax(scores, -1), vh);
#endif
  return out.transpose(1, 2).reshape({batch, queries, heads * headDim});
}

at::Tensor causalMask(std::int64_t tokens, const at::TensorOptions& options) {
  auto mask = at::full({tokens, tokens}, -std::numeric_limits<float>::infinity(), options);
  return at::triu(mask, 1);
}

}  // namespace celerity
