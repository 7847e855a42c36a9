#include "pipeline/BatchNoise.h"

#include <ATen/CPUGeneratorImpl.h>

#include "celerity/Error.h"

namespace celerity {

BatchNoise::BatchNoise(std::vector<std::uint64_t> seeds, std::vector<std::int64_t> shape,
                       const at::TensorOptions& options)
    : seeds_(std::move(seeds)), shape_(std::move(shape)), options_(options) {
  if (seeds_.empty()) throw CelerityError(ErrorCode::InvalidArgument, "no seeds", "BatchNoise");
  generators_.reserve(seeds_.size());
  for (const auto seed : seeds_) generators_.push_back(at::make_generator<at::CPUGeneratorImpl>(seed));
}

at::Tensor BatchNoise::next() { return next(shape_); }

at::Tensor BatchNoise::next(const std::vector<std::int64_t>& shape) {
  std::vector<std::int64_t> one{1};
  one.insert(one.end(), shape.begin(), shape.end());
  std::vector<at::Tensor> rows;
  rows.reserve(generators_.size());
  for (auto& generator : generators_) {
    rows.push_back(at::randn(one, generator, at::TensorOptions().dtype(at::kFloat)));
  }
  return at::cat(rows).to(options_);
}

NoiseSource BatchNoise::source() { return source(shape_); }

NoiseSource BatchNoise::source(std::vector<std::int64_t> shape) {
  return [this, shape = std::move(shape)](double, double) { return next(shape); };
}

}  // namespace celerity
