#include "lora/LoraLayerAdapter.h"

#include <utility>

namespace celerity {

LoraLayerAdapter::LoraLayerAdapter(std::vector<LoraForwardTerm> terms) : terms_(std::move(terms)) {}

LoraLayerAdapter::LoraLayerAdapter(std::vector<LoraForwardTerm> terms, std::int64_t stride, std::int64_t padding)
    : terms_(std::move(terms)), conv_(true), stride_(stride), padding_(padding) {}

at::Tensor LoraLayerAdapter::linearTerm(const LoraForwardTerm& term, const at::Tensor& x) const {
  if (term.dense.defined()) return at::linear(x, term.dense) * term.factorScale;
  auto h = at::linear(x, term.down);
  if (term.mid.defined()) h = at::linear(h, term.mid);
  return at::linear(h, term.up) * term.factorScale;
}

at::Tensor LoraLayerAdapter::convTerm(const LoraForwardTerm& term, const at::Tensor& x) const {
  const std::vector<std::int64_t> stride{stride_, stride_};
  const std::vector<std::int64_t> padding{padding_, padding_};
  if (term.dense.defined()) return at::conv2d(x, term.dense, {}, stride, padding) * term.factorScale;
  at::Tensor h;
  if (term.mid.defined()) {
    h = at::conv2d(at::conv2d(x, term.down), term.mid, {}, stride, padding);
  } else {
    h = at::conv2d(x, term.down, {}, stride, padding);
  }
  return at::conv2d(h, term.up) * term.factorScale;
}

at::Tensor LoraLayerAdapter::apply(const at::Tensor& input, const at::Tensor& output) const {
  auto out = output;
  for (const auto& term : terms_) {
    if (term.dense.defined() || term.down.defined()) {
      out = out + (conv_ ? convTerm(term, input) : linearTerm(term, input));
    }
    if (term.bias.defined()) {
      out = out + (conv_ ? term.bias.view({1, -1, 1, 1}) : term.bias) * term.biasScale;
    }
  }
  return out;
}

}  // namespace celerity
