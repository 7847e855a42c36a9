#pragma once
// LoRAs applied in the forward pass of one Linear / Conv2d layer (`lora.unmerged`): the
// layer's weights stay untouched and each adapter adds its term to the output. A LoRA / LoCon
// adds m·scale·up(mid(down(x))) through its small factors (two thin matmuls or convs); the
// other kinds (LoHa, LoKr, full diff, DoRA) add m·(x ⊛ ΔW) with their dense difference.
#include <cstdint>
#include <vector>

#include <ATen/ATen.h>

#include "models/common/Layers.h"

namespace celerity {

struct LoraForwardTerm {
  // Factors (LoRA / LoCon), shaped for the layer: linear [r, in] / [out, r] (mid [r, r]);
  // conv down [r, in, k, k] (or [r, in, 1, 1] before a [r, r, k, k] mid), up [out, r, 1, 1].
  at::Tensor down, mid, up;
  at::Tensor dense;      // or ΔW, shaped as the layer's weight
  at::Tensor bias;       // Δbias [out]; may be undefined
  double factorScale = 1.0;  // m · alpha / rank for the factors, m for dense and bias
  double biasScale = 1.0;
};

class LoraLayerAdapter : public layers::LayerAdapter {
 public:
  // Linear layer.
  explicit LoraLayerAdapter(std::vector<LoraForwardTerm> terms);
  // Conv2d layer with its stride and padding (the first conv of each chain applies them).
  LoraLayerAdapter(std::vector<LoraForwardTerm> terms, std::int64_t stride, std::int64_t padding);

  at::Tensor apply(const at::Tensor& input, const at::Tensor& output) const override;

  const std::vector<LoraForwardTerm>& terms() const { return terms_; }

 private:
  at::Tensor linearTerm(const LoraForwardTerm& term, const at::Tensor& x) const;
  at::Tensor convTerm(const LoraForwardTerm& term, const at::Tensor& x) const;

  std::vector<LoraForwardTerm> terms_;
  bool conv_ = false;
  std::int64_t stride_ = 1;
  std::int64_t padding_ = 0;
};

}  // namespace celerity
