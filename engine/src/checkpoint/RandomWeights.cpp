#include "checkpoint/RandomWeights.h"

#include <algorithm>
#include <cmath>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include "celerity/Error.h"
#include "io/SafetensorsWriter.h"

namespace celerity {
namespace {

// Chunks generated together before their bytes are written: bounds the staging memory.
constexpr std::int64_t kChunksPerBatch = 16;

std::uint64_t splitMix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

at::ScalarType scalarTypeFor(const TensorPlan& plan) {
  const auto type = scalarTypeOf(plan.dtype);
  if (!type) {
    throw CelerityError(ErrorCode::InvalidArgument, std::string("no ATen type for ") + dtypeName(plan.dtype),
                        plan.name);
  }
  return *type;
}

}  // namespace

std::uint64_t chunkSeed(std::uint64_t seed, std::uint64_t tensorIndex, std::uint64_t chunk) {
  return splitMix64(splitMix64(splitMix64(seed) ^ tensorIndex) ^ chunk);
}

at::Tensor randomChunk(const TensorPlan& plan, std::uint64_t seed, std::uint64_t tensorIndex,
                       std::int64_t chunk) {
  const auto numel = plan.numel();
  const auto first = chunk * kRandomChunkElements;
  const auto count = std::min(kRandomChunkElements, numel - first);
  auto generator = at::detail::createCPUGenerator(chunkSeed(seed, tensorIndex, static_cast<std::uint64_t>(chunk)));
  auto values = at::randn({count}, generator, at::TensorOptions().dtype(at::kFloat));
  switch (plan.init) {
    case WeightInit::FanIn: {
      const auto fanIn = plan.shape.empty() || plan.shape[0] == 0 ? 1 : numel / plan.shape[0];
      values.mul_(1.0 / std::sqrt(static_cast<double>(std::max<std::int64_t>(fanIn, 1))));
      break;
    }
    case WeightInit::NormWeight: values.mul_(0.1).add_(1.0); break;
    case WeightInit::Bias: values.mul_(0.1); break;
    case WeightInit::Embedding: values.mul_(0.5); break;
    default:
      throw CelerityError(ErrorCode::Internal, "tensor has no random initialisation", plan.name);
  }
  return values;
}

void writePlannedTensor(SafetensorsWriter& writer, const TensorPlan& plan, std::uint64_t seed,
                        std::uint64_t tensorIndex) {
  const auto type = scalarTypeFor(plan);
  if (plan.init == WeightInit::Fixed) {
    writer.writeTensor(plan.values.to(type).reshape(plan.shape).contiguous());
    return;
  }
  const auto numel = plan.numel();
  if (numel == 0) return;
  const auto chunks = (numel + kRandomChunkElements - 1) / kRandomChunkElements;
  for (std::int64_t batchBegin = 0; batchBegin < chunks; batchBegin += kChunksPerBatch) {
    const auto batchEnd = std::min(chunks, batchBegin + kChunksPerBatch);
    const auto firstElement = batchBegin * kRandomChunkElements;
    const auto elements = std::min(numel, batchEnd * kRandomChunkElements) - firstElement;
    auto staging = at::empty({elements}, at::TensorOptions().dtype(type));
    at::parallel_for(batchBegin, batchEnd, 1, [&](std::int64_t begin, std::int64_t end) {
      for (auto chunk = begin; chunk < end; ++chunk) {
        const auto values = randomChunk(plan, seed, tensorIndex, chunk);
        staging.narrow(0, chunk * kRandomChunkElements - firstElement, values.numel()).copy_(values);
      }
    });
    writer.write(staging.data_ptr(), static_cast<std::size_t>(staging.nbytes()));
  }
}

}  // namespace celerity
