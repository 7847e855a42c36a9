#include "sampling/NoiseSource.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

namespace celerity {

NoiseSource seededNoise(const at::Tensor& like, std::uint64_t seed) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  const auto shape = like.sizes().vec();
  const auto target = like.options();
  return [generator, shape, target](double, double) mutable {
    // at::randn locks the generator itself, so copies of this source may share it.
    return at::randn(shape, generator, at::TensorOptions().dtype(at::kFloat)).to(target);
  };
}

}  // namespace celerity
