#pragma once
// The random numbers of one batch, as A1111 draws them with its CPU RNG source: one CPU
// generator per image, seeded with that image's seed, so that image i of a batch equals the
// same seed generated alone. The first draw of each generator is the initial noise
// (torch.manual_seed(seed); torch.randn(shape) — LibTorch's CPU generator gives PyTorch's
// numbers); later draws (ancestral and SDE samplers, hires fix) continue each stream.
#include <cstdint>
#include <vector>

#include <ATen/ATen.h>

#include "sampling/NoiseSource.h"

namespace celerity {

class BatchNoise {
 public:
  // `shape` is one image's latent shape [C, h, w]; noise is drawn in float32 on the CPU and
  // moved to `options` (device, dtype).
  BatchNoise(std::vector<std::uint64_t> seeds, std::vector<std::int64_t> shape,
             const at::TensorOptions& options = {});

  // The next tensor of every image's stream, stacked: [B, C, h, w].
  at::Tensor next();
  // Same, at another latent shape (hires fix's second pass).
  at::Tensor next(const std::vector<std::int64_t>& shape);
  // A sampler noise source drawing next(shape) (default: the initial latent's shape).
  // The source refers to this object, which must outlive it.
  NoiseSource source();
  NoiseSource source(std::vector<std::int64_t> shape);

  const std::vector<std::uint64_t>& seeds() const { return seeds_; }

 private:
  std::vector<std::uint64_t> seeds_;
  std::vector<std::int64_t> shape_;
  at::TensorOptions options_;
  std::vector<at::Generator> generators_;
};

}  // namespace celerity
