#include "lora/LoraAdapter.h"

namespace celerity {

const char* loraAdapterKindName(LoraAdapterKind kind) {
  switch (kind) {
    case LoraAdapterKind::LoRA: return "LoRA";
    case LoraAdapterKind::LoHa: return "LoHa";
    case LoraAdapterKind::LoKr: return "LoKr";
    case LoraAdapterKind::Full: return "full";
    case LoraAdapterKind::Invalid: break;
  }
  return "invalid";
}

std::int64_t LoraAdapter::rank() const {
  switch (kind) {
    case LoraAdapterKind::LoRA: return down.defined() ? down.size(0) : 0;
    case LoraAdapterKind::LoHa: return hadaW1b.defined() ? hadaW1b.size(0) : 0;
    case LoraAdapterKind::LoKr:
      // As ComfyUI: the rank of the last decomposed factor (w2 wins over w1).
      if (lokrW2b.defined()) return lokrW2b.size(0);
      if (lokrW1b.defined()) return lokrW1b.size(0);
      return 0;
    default: return 0;
  }
}

double LoraAdapter::scale() const {
  const auto r = rank();
  if (!alpha || r <= 0) return 1.0;
  return *alpha / static_cast<double>(r);
}

bool LoraAdapter::hasWeightDelta() const { return kind != LoraAdapterKind::Full || diff.defined(); }

}  // namespace celerity
