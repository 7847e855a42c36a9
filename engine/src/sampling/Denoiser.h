#pragma once
// The two types every sampler and schedule speaks: the model as a k-diffusion denoiser, and
// the list of noise levels a run walks down. No model type appears in this folder; the
// pipeline wraps its UNet (eps prediction, CFG, conditioning) into a Denoiser.
#include <functional>
#include <vector>

#include <ATen/core/Tensor.h>

namespace celerity {

// D(x, sigma): the denoised estimate of `x` at noise level `sigma`. `sigma` is a float32
// tensor [B] on x's device with one level per batch item (k-diffusion's `sigma * s_in`); the
// result has x's shape. An eps-prediction model gives D = x − sigma·eps(x·c_in, t(sigma)).
using Denoiser = std::function<at::Tensor(const at::Tensor& x, const at::Tensor& sigma)>;

// Noise levels of one run in the order they are visited (descending), normally ending in 0.
// N values mean N − 1 steps. The schedules here return float32-exact values, as the
// reference implementations hand samplers a FloatTensor.
using Sigmas = std::vector<double>;

}  // namespace celerity
