#pragma once
// One module's adapter as a LoRA file stores it, in every format Civitai files use:
//   LoRA / LoCon  <m>.lora_down.weight, <m>.lora_up.weight, optional <m>.lora_mid.weight
//                 (also diffusers / PEFT spellings: lora.down/up, lora_A/B, _lora.down/up,
//                 lora_linear_layer.down/up)
//   LoHa          <m>.hada_w1_a/b, <m>.hada_w2_a/b, optional <m>.hada_t1/t2 (Tucker)
//   LoKr          <m>.lokr_w1 or lokr_w1_a/b, <m>.lokr_w2 or lokr_w2_a/b, optional lokr_t2
//   full diff     <m>.diff (weight), <m>.diff_b (bias)
// plus the common <m>.alpha (scale = alpha / rank, 1 without alpha) and <m>.dora_scale
// (DoRA: the merged weight's columns renormalised to that magnitude).
#include <optional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

namespace celerity {

enum class LoraAdapterKind {
  Invalid = 0,
  LoRA,  // also LoCon (conv) and Tucker LoCon (lora_mid)
  LoHa,
  LoKr,
  Full,  // a plain difference (diff / diff_b)
};

const char* loraAdapterKindName(LoraAdapterKind kind);

struct LoraAdapter {
  std::string module;  // the module name as written in the file (before the suffix)
  LoraAdapterKind kind = LoraAdapterKind::Invalid;

  // LoRA: up [out, r(, 1, 1)], down [r, in(, k, k)], mid [r, r, k, k] (Tucker LoCon).
  at::Tensor up, down, mid;
  // LoHa: ((w1a @ w1b) ⊙ (w2a @ w2b)), or the Tucker rebuild with t1 / t2.
  at::Tensor hadaW1a, hadaW1b, hadaW2a, hadaW2b, hadaT1, hadaT2;
  // LoKr: kron(w1, w2), each factor whole or as a @ b (w2 optionally through t2).
  at::Tensor lokrW1, lokrW1a, lokrW1b, lokrW2, lokrW2a, lokrW2b, lokrT2;
  // Full: diff for the weight, diffBias for the bias (either may be absent).
  at::Tensor diff, diffBias;

  std::optional<double> alpha;
  at::Tensor doraScale;

  std::vector<std::string> keys;  // the file's tensor names this adapter consumed

  // alpha / rank where the format scales by it (LoRA, LoHa, decomposed LoKr), else 1.
  double scale() const;
  // The rank shown to users (0 where the format has none).
  std::int64_t rank() const;
  bool hasWeightDelta() const;  // false for a bias-only diff
};

}  // namespace celerity
