#include "models/common/Layers.h"

namespace celerity::layers {

at::Tensor addParameter(torch::nn::Module& module, const std::string& name,
                        at::IntArrayRef shape, const at::TensorOptions& options) {
  return module.register_parameter(name, at::empty(shape, options), /*requires_grad=*/false);
}

LinearImpl::LinearImpl(std::int64_t inFeatures, std::int64_t outFeatures, bool withBias,
                       const at::TensorOptions& options) {
  weight = addParameter(*this, "weight", {outFeatures, inFeatures}, options);
  if (withBias) bias = addParameter(*this, "bias", {outFeatures}, options);
}

at::Tensor LinearImpl::forward(const at::Tensor& x) {
  auto out = at::linear(x, weight, bias);
  return adapter ? adapter->apply(x, out) : out;
}

Conv2dImpl::Conv2dImpl(std::int64_t inChannels, std::int64_t outChannels,
                       std::int64_t kernelSize, std::int64_t stride_, std::int64_t padding_,
                       const at::TensorOptions& options)
    : stride(stride_), padding(padding_) {
  weight = addParameter(*this, "weight", {outChannels, inChannels, kernelSize, kernelSize}, options);
  bias = addParameter(*this, "bias", {outChannels}, options);
}

at::Tensor Conv2dImpl::forward(const at::Tensor& x) {
  auto out = at::conv2d(x, weight, bias, {stride, stride}, {padding, padding});
  return adapter ? adapter->apply(x, out) : out;
}

GroupNormImpl::GroupNormImpl(std::int64_t groups_, std::int64_t channels, double eps_,
                             const at::TensorOptions& options)
    : groups(groups_), eps(eps_) {
  weight = addParameter(*this, "weight", {channels}, options);
  bias = addParameter(*this, "bias", {channels}, options);
}

at::Tensor GroupNormImpl::forward(const at::Tensor& x) {
  return at::group_norm(x, groups, weight, bias, eps);
}

LayerNormImpl::LayerNormImpl(std::int64_t features_, double eps_, const at::TensorOptions& options)
    : features(features_), eps(eps_) {
  weight = addParameter(*this, "weight", {features}, options);
  bias = addParameter(*this, "bias", {features}, options);
}

at::Tensor LayerNormImpl::forward(const at::Tensor& x) {
  return at::layer_norm(x, {features}, weight, bias, eps);
}

EmbeddingImpl::EmbeddingImpl(std::int64_t count, std::int64_t dim, const at::TensorOptions& options) {
  weight = addParameter(*this, "weight", {count, dim}, options);
}

at::Tensor EmbeddingImpl::forward(const at::Tensor& ids) { return at::embedding(weight, ids); }

at::Tensor quickGelu(const at::Tensor& x) { return x * at::sigmoid(x * 1.702); }
at::Tensor gelu(const at::Tensor& x) { return at::gelu(x); }
at::Tensor silu(const at::Tensor& x) { return at::silu(x); }

}  // namespace celerity::layers
