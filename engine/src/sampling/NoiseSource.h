#pragma once
// Fresh noise for the stochastic samplers. A sampler calls the source as f(sigma, sigmaNext)
// for the interval it is about to add noise on and gets a tensor shaped like x; tests inject
// a bank of stored tensors, the pipeline uses the seeded default. BrownianTree noise
// (torchsde) is not provided: the SDE samplers get i.i.d. noise from the source instead.
#include <cstdint>
#include <functional>

#include <ATen/core/Tensor.h>

namespace celerity {

using NoiseSource = std::function<at::Tensor(double sigma, double sigmaNext)>;

// The default source: standard normal noise of `like`'s shape from a CPU generator seeded
// with `seed` (at::make_generator<at::CPUGeneratorImpl>(seed)), drawn in float32 on the CPU
// and then moved to like's device and dtype, so a seed gives the same numbers on every device.
// Each call draws the next tensor of the generator's stream.
NoiseSource seededNoise(const at::Tensor& like, std::uint64_t seed);

}  // namespace celerity
