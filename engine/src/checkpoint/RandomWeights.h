#pragma once
// The values of a planned checkpoint tensor: seeded normal noise scaled by the tensor's role,
// generated in fixed-size chunks, each from its own generator seeded by (seed, tensor index,
// chunk index). The values therefore depend on nothing else (not on the thread count), chunks
// are made in parallel, and memory stays at a few chunks however large the tensor.
#include <cstdint>

#include "checkpoint/CheckpointFactory.h"

namespace celerity {

class SafetensorsWriter;

inline constexpr std::int64_t kRandomChunkElements = std::int64_t{1} << 20;

// The seed of one chunk's generator (the CPU generator keeps 32 bits of it).
std::uint64_t chunkSeed(std::uint64_t seed, std::uint64_t tensorIndex, std::uint64_t chunk);

// Elements [chunk · kRandomChunkElements, …) of tensor `tensorIndex`, as float32.
at::Tensor randomChunk(const TensorPlan& plan, std::uint64_t seed, std::uint64_t tensorIndex,
                       std::int64_t chunk);

// Writes the tensor's bytes (in plan.dtype) as the writer's next tensor.
void writePlannedTensor(SafetensorsWriter& writer, const TensorPlan& plan, std::uint64_t seed,
                        std::uint64_t tensorIndex);

}  // namespace celerity
