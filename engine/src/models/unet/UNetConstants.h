#pragma once
// Fixed numerics of the CompVis / sgm UNet (not stored in any checkpoint).
#include <cstdint>

namespace celerity {

constexpr std::int64_t kUNetNormGroups = 32;
constexpr double kResBlockNormEps = 1e-5;          // ResBlocks and out.0
constexpr double kSpatialTransformerNormEps = 1e-6;  // SpatialTransformer.norm
constexpr double kTransformerLayerNormEps = 1e-5;  // norm1/2/3 of the transformer blocks
constexpr std::int64_t kFeedForwardMult = 4;       // GEGLU inner width = 4 × channels

}  // namespace celerity
