#pragma once
// SDXL's vector condition `y` (the input of the UNet's label_emb): the pooled text embedding
// followed by a 256-wide sinusoidal embedding of each size/crop id, as sgm's
// GeneralConditioner builds it with ConcatTimestepEmbedderND(outdim = 256).
#include <cstdint>

#include <ATen/ATen.h>

namespace celerity {

constexpr std::int64_t kSdxlSizeIdEmbedDim = 256;
constexpr std::int64_t kSdxlSizeIdCount = 6;

// Size ids in SDXL order: original (h, w), crop (top, left), target (h, w); int64 [batch, 6].
at::Tensor sdxlSizeIds(std::int64_t originalHeight, std::int64_t originalWidth, std::int64_t cropTop,
                       std::int64_t cropLeft, std::int64_t targetHeight, std::int64_t targetWidth,
                       std::int64_t batch = 1);

// pooled [B, P], sizeIds [B, 6] → y [B, P + 6·256] in pooled's dtype and device.
at::Tensor sdxlVectorCondition(const at::Tensor& pooled, const at::Tensor& sizeIds);

}  // namespace celerity
