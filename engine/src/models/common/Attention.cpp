#include "models/common/Attention.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <torch/version.h>

namespace celerity {
namespace {

thread_local AttentionKernel currentKernel = AttentionKernel::Fused;

}  // namespace

AttentionKernel currentAttentionKernel() { return currentKernel; }

AttentionKernelScope::AttentionKernelScope(AttentionKernel kernel) : previous_(currentKernel) {
  currentKernel = kernel;
}

AttentionKernelScope::~AttentionKernelScope() { currentKernel = previous_; }

at::Tensor chunkedAttention(const at::Tensor& qh, const at::Tensor& kh, const at::Tensor& vh,
                            const at::Tensor& mask, std::int64_t maxScoreBytes) {
  const auto queries = qh.size(2);
  const auto keys = kh.size(2);
  const double scale = 1.0 / std::sqrt(static_cast<double>(qh.size(3)));
  const auto rowBytes = qh.size(0) * qh.size(1) * keys * static_cast<std::int64_t>(qh.element_size());
  const auto chunk = std::max<std::int64_t>(1, std::min(queries, maxScoreBytes / std::max<std::int64_t>(1, rowBytes)));
  const auto attend = [&](const at::Tensor& q, const at::Tensor& m) {
    auto scores = at::matmul(q, kh.transpose(-2, -1)) * scale;
    if (m.defined()) scores = scores + m;
    return at::matmul(at::softmax(scores, -1), vh);
  };
  if (chunk >= queries) return attend(qh, mask);
  auto out = at::empty({qh.size(0), qh.size(1), queries, vh.size(3)}, qh.options());
  for (std::int64_t start = 0; start < queries; start += chunk) {
    const auto end = std::min(queries, start + chunk);
    // A mask with a query axis of its own is cut like the queries; a broadcast one is not.
    at::Tensor m = mask;
    if (m.defined() && m.dim() >= 2 && m.size(-2) == queries) m = m.slice(-2, start, end);
    out.slice(2, start, end).copy_(attend(qh.slice(2, start, end), m));
  }
  return out;
}

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
  if (currentKernel == AttentionKernel::Fused) {
    out = at::scaled_dot_product_attention(qh, kh, vh, mask.defined() ? c10::optional<at::Tensor>(mask)
                                                                      : c10::nullopt);
  } else {
    out = chunkedAttention(qh, kh, vh, mask);
  }
#else
  out = chunkedAttention(qh, kh, vh, mask);
#endif
  return out.transpose(1, 2).reshape({batch, queries, heads * headDim});
}

at::Tensor causalMask(std::int64_t tokens, const at::TensorOptions& options) {
  auto mask = at::full({tokens, tokens}, -std::numeric_limits<float>::infinity(), options);
  return at::triu(mask, 1);
}

}  // namespace celerity
