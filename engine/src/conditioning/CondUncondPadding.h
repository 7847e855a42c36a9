#pragma once
// A1111's two ways of giving cond and uncond the same token length so that they can share
// one UNet batch (modules/sd_samplers_cfg_denoiser.py). Both options are off by default;
// then cond and uncond run through the UNet separately and nothing is padded.
#include <ATen/ATen.h>

namespace celerity {

struct CondUncondPair {
  at::Tensor cond;
  at::Tensor uncond;
  bool padded = false;  // A1111 sets padded_cond_uncond(_v0) when anything changed
};

// "Pad prompt/negative prompt": k = (len(cond) − len(uncond)) floor-div len(empty); the
// shorter one gets |k| copies of the empty prompt's context [1, 77, C] appended (per row).
CondUncondPair padCondUncond(const at::Tensor& cond, const at::Tensor& uncond, const at::Tensor& empty);

// "Pad prompt/negative prompt (v0)": a shorter uncond repeats its last vector up to cond's
// length, a longer one is truncated to it; cond is never changed.
CondUncondPair padCondUncondV0(const at::Tensor& cond, const at::Tensor& uncond);

}  // namespace celerity
