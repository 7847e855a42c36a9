#pragma once
// The weight difference ΔW an adapter makes, as ComfyUI's weight adapters compute it
// (comfy/weight_adapter: lora, loha, lokr, DoRA's weight_decompose), in fp32 on the device
// of the weight it will patch. ΔW includes the adapter's own scale (alpha / rank) but not
// the user's multiplier m, so that a merged weight is W0 + Σ m·ΔW and a weight change is
// (m_new − m_old)·ΔW. DoRA's renormalisation depends on the weight it is applied to: ΔW is
// taken against the original weight W0 (calc(W0) − W0), which keeps the sum order-free.
#include <cstdint>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "lora/LoraAdapter.h"

namespace celerity {

// Elements of the adapter's ΔW, from the factor shapes alone (no arithmetic); 0 for a
// bias-only diff. A target of another element count is a mismatch.
std::int64_t loraDeltaNumel(const LoraAdapter& adapter);

// ΔW reshaped to `shape`, fp32 on `device`. `original` (the weight before any LoRA, in the
// patched view's shape, any dtype / device) is needed for DoRA only. Throws
// CelerityError(WeightMismatch) naming the module when the elements do not fit.
at::Tensor loraWeightDelta(const LoraAdapter& adapter, at::IntArrayRef shape, const at::Device& device,
                           const at::Tensor& original = {});

// The bias difference (diff_b), fp32 on `device`, shaped `shape`; undefined when the adapter
// has none.
at::Tensor loraBiasDelta(const LoraAdapter& adapter, at::IntArrayRef shape, const at::Device& device);

}  // namespace celerity
