#pragma once
// Sinusoidal embedding of scalar values (diffusion timesteps, SDXL size/crop ids):
// [cos(v·f), sin(v·f)] with f_i = exp(−ln(maxPeriod)·i/half), i < half, half = dim/2.
#include <cstdint>

#include <ATen/ATen.h>

namespace celerity {

// `values` [N] (any real or integer dtype, read as float32) → [N, dim] float32; an odd `dim`
// gets a zero last column.
at::Tensor timestepEmbedding(const at::Tensor& values, std::int64_t dim, double maxPeriod = 10000.0);

}  // namespace celerity
