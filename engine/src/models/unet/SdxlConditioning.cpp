#include "models/unet/SdxlConditioning.h"

#include "celerity/Error.h"
#include "models/unet/TimestepEmbedding.h"

namespace celerity {

at::Tensor sdxlSizeIds(std::int64_t originalHeight, std::int64_t originalWidth, std::int64_t cropTop,
                       std::int64_t cropLeft, std::int64_t targetHeight, std::int64_t targetWidth,
                       std::int64_t batch) {
  const auto row = at::tensor(std::vector<std::int64_t>{originalHeight, originalWidth, cropTop, cropLeft,
                                                        targetHeight, targetWidth},
                              at::kLong);
  return row.unsqueeze(0).expand({batch, kSdxlSizeIdCount}).contiguous();
}

at::Tensor sdxlVectorCondition(const at::Tensor& pooled, const at::Tensor& sizeIds) {
  if (pooled.dim() != 2 || sizeIds.dim() != 2 || sizeIds.size(1) != kSdxlSizeIdCount ||
      sizeIds.size(0) != pooled.size(0)) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "expects pooled [B, P] and size ids [B, 6] of the same batch",
                        "sdxlVectorCondition");
  }
  const auto batch = pooled.size(0);
  // Every id is embedded on its own, then the embeddings are laid side by side per row.
  const auto embedded = timestepEmbedding(sizeIds.reshape({-1}).to(pooled.device()), kSdxlSizeIdEmbedDim)
                            .reshape({batch, kSdxlSizeIdCount * kSdxlSizeIdEmbedDim});
  return at::cat({pooled, embedded.to(pooled.scalar_type())}, 1);
}

}  // namespace celerity
