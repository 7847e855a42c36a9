#include "models/yolo/YoloBlocks.h"

namespace celerity::yolo {

ConvUnitImpl::ConvUnitImpl(std::int64_t in, std::int64_t out, std::int64_t kernel,
                           std::int64_t stride, const at::TensorOptions& options) {
  conv = register_module("conv", layers::Conv2d(in, out, kernel, stride, kernel / 2, options));
}

at::Tensor ConvUnitImpl::forward(const at::Tensor& x) { return at::silu(conv->forward(x)); }

BottleneckImpl::BottleneckImpl(std::int64_t channels, bool shortcut_,
                               const at::TensorOptions& options)
    : shortcut(shortcut_) {
  cv1 = register_module("cv1", ConvUnit(channels, channels, 3, 1, options));
  cv2 = register_module("cv2", ConvUnit(channels, channels, 3, 1, options));
}

at::Tensor BottleneckImpl::forward(const at::Tensor& x) {
  auto y = cv2->forward(cv1->forward(x));
  return shortcut ? x + y : y;
}

C2fImpl::C2fImpl(std::int64_t in, std::int64_t out, std::int64_t hidden, std::int64_t repeats,
                 bool shortcut, const at::TensorOptions& options) {
  cv1 = register_module("cv1", ConvUnit(in, 2 * hidden, 1, 1, options));
  cv2 = register_module("cv2", ConvUnit((2 + repeats) * hidden, out, 1, 1, options));
  auto list = register_module("m", std::make_shared<torch::nn::Module>());
  for (std::int64_t i = 0; i < repeats; ++i) {
    m.push_back(list->register_module(std::to_string(i), Bottleneck(hidden, shortcut, options)));
  }
}

at::Tensor C2fImpl::forward(const at::Tensor& x) {
  std::vector<at::Tensor> pieces = cv1->forward(x).chunk(2, 1);
  for (auto& bottleneck : m) pieces.push_back(bottleneck->forward(pieces.back()));
  return cv2->forward(at::cat(pieces, 1));
}

SppfImpl::SppfImpl(std::int64_t in, std::int64_t out, std::int64_t hidden, std::int64_t kernel_,
                   const at::TensorOptions& options)
    : kernel(kernel_) {
  cv1 = register_module("cv1", ConvUnit(in, hidden, 1, 1, options));
  cv2 = register_module("cv2", ConvUnit(4 * hidden, out, 1, 1, options));
}

at::Tensor SppfImpl::forward(const at::Tensor& x) {
  std::vector<at::Tensor> y{cv1->forward(x)};
  for (int i = 0; i < 3; ++i) {
    y.push_back(at::max_pool2d(y.back(), {kernel, kernel}, {1, 1}, {kernel / 2, kernel / 2}));
  }
  return cv2->forward(at::cat(y, 1));
}

HeadBranchImpl::HeadBranchImpl(std::int64_t in, std::int64_t hidden, std::int64_t out,
                               const at::TensorOptions& options) {
  first = register_module("0", ConvUnit(in, hidden, 3, 1, options));
  second = register_module("1", ConvUnit(hidden, hidden, 3, 1, options));
  last = register_module("2", layers::Conv2d(hidden, out, 1, 1, 0, options));
}

at::Tensor HeadBranchImpl::forward(const at::Tensor& x) {
  return last->forward(second->forward(first->forward(x)));
}

ConvTranspose2xImpl::ConvTranspose2xImpl(std::int64_t in, std::int64_t out,
                                         const at::TensorOptions& options) {
  weight = layers::addParameter(*this, "weight", {in, out, 2, 2}, options);
  bias = layers::addParameter(*this, "bias", {out}, options);
}

at::Tensor ConvTranspose2xImpl::forward(const at::Tensor& x) {
  return at::conv_transpose2d(x, weight, bias, {2, 2});
}

ProtoImpl::ProtoImpl(std::int64_t in, std::int64_t hidden, std::int64_t out,
                     const at::TensorOptions& options) {
  cv1 = register_module("cv1", ConvUnit(in, hidden, 3, 1, options));
  upsample = register_module("upsample", ConvTranspose2x(hidden, hidden, options));
  cv2 = register_module("cv2", ConvUnit(hidden, hidden, 3, 1, options));
  cv3 = register_module("cv3", ConvUnit(hidden, out, 1, 1, options));
}

at::Tensor ProtoImpl::forward(const at::Tensor& x) {
  return cv3->forward(cv2->forward(upsample->forward(cv1->forward(x))));
}

}  // namespace celerity::yolo
