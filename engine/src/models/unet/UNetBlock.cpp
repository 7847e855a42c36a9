#include "models/unet/UNetBlock.h"

namespace celerity {

void UNetBlockImpl::append(const layers::Conv2d& conv) {
  auto layer = register_module(nextName(), conv);
  steps_.emplace_back([layer](const at::Tensor& x, const at::Tensor&, const at::Tensor&) {
    return layer->forward(x);
  });
}

void UNetBlockImpl::append(const ResBlock& block) {
  auto layer = register_module(nextName(), block);
  steps_.emplace_back([layer](const at::Tensor& x, const at::Tensor& emb, const at::Tensor&) {
    return layer->forward(x, emb);
  });
}

void UNetBlockImpl::append(const SpatialTransformer& transformer) {
  auto layer = register_module(nextName(), transformer);
  steps_.emplace_back([layer](const at::Tensor& x, const at::Tensor&, const at::Tensor& context) {
    return layer->forward(x, context);
  });
}

void UNetBlockImpl::append(const Downsample& down) {
  auto layer = register_module(nextName(), down);
  steps_.emplace_back([layer](const at::Tensor& x, const at::Tensor&, const at::Tensor&) {
    return layer->forward(x);
  });
}

void UNetBlockImpl::append(const Upsample& up) {
  auto layer = register_module(nextName(), up);
  steps_.emplace_back([layer](const at::Tensor& x, const at::Tensor&, const at::Tensor&) {
    return layer->forward(x);
  });
}

at::Tensor UNetBlockImpl::forward(const at::Tensor& x, const at::Tensor& emb, const at::Tensor& context) {
  auto h = x;
  for (const auto& step : steps_) h = step(h, emb, context);
  return h;
}

}  // namespace celerity
