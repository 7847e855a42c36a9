#include "models/vae/VaeBlocks.h"

#include <algorithm>
#include <vector>

#include "models/common/Attention.h"

namespace celerity {
namespace {

// Score elements per attention chunk (128 MiB in F32): a 1024² image has 16 384 latent
// positions, whose full score matrix alone would take 1 GiB.
constexpr std::int64_t kMaxScoreElements = std::int64_t{1} << 25;

}  // namespace

VaeResnetBlockImpl::VaeResnetBlockImpl(std::int64_t inChannels, std::int64_t outChannels,
                                       const at::TensorOptions& options) {
  norm1 =
      register_module("norm1", layers::GroupNorm(kVaeNormGroups, inChannels, kVaeNormEps, options));
  conv1 = register_module("conv1", layers::Conv2d(inChannels, outChannels, 3, 1, 1, options));
  norm2 = register_module("norm2",
                          layers::GroupNorm(kVaeNormGroups, outChannels, kVaeNormEps, options));
  conv2 = register_module("conv2", layers::Conv2d(outChannels, outChannels, 3, 1, 1, options));
  if (inChannels != outChannels) {
    ninShortcut =
        register_module("nin_shortcut", layers::Conv2d(inChannels, outChannels, 1, 1, 0, options));
  }
}

at::Tensor VaeResnetBlockImpl::forward(const at::Tensor& x) {
  // The norm outputs and conv2's result are fresh tensors: activate and add in place, which
  // saves a full-resolution allocation each at 512² and above.
  auto h = norm1(x);
  h = norm2(conv1(at::silu_(h)));
  h = conv2(at::silu_(h));
  return h.add_(ninShortcut ? ninShortcut(x) : x);
}

VaeAttentionBlockImpl::VaeAttentionBlockImpl(std::int64_t channels,
                                             const at::TensorOptions& options) {
  norm = register_module("norm", layers::GroupNorm(kVaeNormGroups, channels, kVaeNormEps, options));
  q = register_module("q", layers::Conv2d(channels, channels, 1, 1, 0, options));
  k = register_module("k", layers::Conv2d(channels, channels, 1, 1, 0, options));
  v = register_module("v", layers::Conv2d(channels, channels, 1, 1, 0, options));
  projOut = register_module("proj_out", layers::Conv2d(channels, channels, 1, 1, 0, options));
}

at::Tensor VaeAttentionBlockImpl::forward(const at::Tensor& x) {
  const auto batch = x.size(0);
  const auto channels = x.size(1);
  const auto height = x.size(2);
  const auto width = x.size(3);
  const auto positions = height * width;
  const auto h = norm(x);
  // [B, C, H, W] -> [B, H·W, C]: one head whose dimension is the whole width (scale 1/√C).
  const auto tokens = [&](layers::Conv2d& conv) { return conv(h).flatten(2).transpose(1, 2); };
  const auto queries = tokens(q);
  const auto keys = tokens(k);
  const auto values = tokens(v);

  // Query rows are independent, so chunking them bounds the score matrix exactly.
  const auto chunk =
      std::max<std::int64_t>(1, kMaxScoreElements / std::max<std::int64_t>(1, batch * positions));
  at::Tensor out;
  if (chunk >= positions) {
    out = multiHeadAttention(queries, keys, values, 1);
  } else {
    std::vector<at::Tensor> parts;
    for (std::int64_t start = 0; start < positions; start += chunk) {
      parts.push_back(multiHeadAttention(
          queries.narrow(1, start, std::min(chunk, positions - start)), keys, values, 1));
    }
    out = at::cat(parts, 1);
  }
  out = out.transpose(1, 2).reshape({batch, channels, height, width});
  return projOut(out).add_(x);
}

VaeDownsampleImpl::VaeDownsampleImpl(std::int64_t channels, const at::TensorOptions& options) {
  conv = register_module("conv", layers::Conv2d(channels, channels, 3, 2, 0, options));
}

at::Tensor VaeDownsampleImpl::forward(const at::Tensor& x) {
  // Asymmetric: one zero row/column on the right and bottom only, as ldm does.
  return conv(at::constant_pad_nd(x, {0, 1, 0, 1}, 0));
}

VaeUpsampleImpl::VaeUpsampleImpl(std::int64_t channels, const at::TensorOptions& options) {
  conv = register_module("conv", layers::Conv2d(channels, channels, 3, 1, 1, options));
}

at::Tensor VaeUpsampleImpl::forward(const at::Tensor& x) {
  return conv(at::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2}));
}

VaeMidBlockImpl::VaeMidBlockImpl(std::int64_t channels, const at::TensorOptions& options) {
  block1 = register_module("block_1", VaeResnetBlock(channels, channels, options));
  attn1 = register_module("attn_1", VaeAttentionBlock(channels, options));
  block2 = register_module("block_2", VaeResnetBlock(channels, channels, options));
}

at::Tensor VaeMidBlockImpl::forward(const at::Tensor& x) { return block2(attn1(block1(x))); }

}  // namespace celerity
