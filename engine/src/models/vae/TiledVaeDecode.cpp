#include "models/vae/TiledVaeDecode.h"

#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "celerity/Error.h"

namespace celerity {
namespace {

// Per-pixel weights of one tile along one axis (`size` output pixels): a ramp up across the
// overlap with the previous tile (`lead` pixels), a ramp down across the overlap with the
// next (`trail` pixels), 1 elsewhere. Two neighbours' ramps over the same pixels sum to 1;
// the +0.5 keeps every weight positive.
at::Tensor axisWeights(std::int64_t size, std::int64_t lead, std::int64_t trail) {
  auto weights = at::ones({size}, at::kFloat);
  auto* w = weights.data_ptr<float>();
  for (std::int64_t i = 0; i < lead; ++i) {
    w[i] *= static_cast<float>((static_cast<double>(i) + 0.5) / static_cast<double>(lead));
  }
  for (std::int64_t i = 0; i < trail; ++i) {
    w[size - 1 - i] *= static_cast<float>((static_cast<double>(i) + 0.5) / static_cast<double>(trail));
  }
  return weights;
}

struct AxisTile {
  std::int64_t start = 0;  // latent pixels
  std::int64_t size = 0;
  std::int64_t lead = 0;   // overlap with the previous tile, latent pixels
  std::int64_t trail = 0;  // overlap with the next tile
};

std::vector<AxisTile> axisTiles(std::int64_t length, std::int64_t tile, std::int64_t overlap) {
  const auto starts = tileStarts(length, tile, overlap);
  std::vector<AxisTile> tiles;
  for (std::size_t k = 0; k < starts.size(); ++k) {
    AxisTile t;
    t.start = starts[k];
    t.size = std::min(tile, length - t.start);
    if (k > 0) t.lead = tiles.back().start + tiles.back().size - t.start;
    tiles.push_back(t);
    if (k > 0) tiles[k - 1].trail = t.lead;
  }
  return tiles;
}

}  // namespace

std::vector<std::int64_t> tileStarts(std::int64_t length, std::int64_t tile, std::int64_t overlap) {
  if (tile < 1 || overlap < 0 || overlap >= tile || length < 1) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "tiles need 1 ≤ tile, 0 ≤ overlap < tile and a non-empty latent (tile " +
                            std::to_string(tile) + ", overlap " + std::to_string(overlap) +
                            ", length " + std::to_string(length) + ")",
                        "vae.tiled");
  }
  if (length <= tile) return {0};
  // n tiles evenly spread over [0, length − tile] step by ≤ tile − overlap.
  const std::int64_t stride = tile - overlap;
  const std::int64_t count = (length - overlap + stride - 1) / stride;
  std::vector<std::int64_t> starts;
  for (std::int64_t k = 0; k < count; ++k) {
    starts.push_back(static_cast<std::int64_t>(
        std::llround(static_cast<double>(k) * static_cast<double>(length - tile) /
                     static_cast<double>(count - 1))));
  }
  return starts;
}

at::Tensor decodeTiled(Vae& vae, const at::Tensor& z, int tileLatent, int overlapLatent) {
  c10::InferenceMode guard;
  if (!z.defined() || z.dim() != 4) return vae->decode(z);  // decode names the bad shape
  const auto height = z.size(2);
  const auto width = z.size(3);
  const auto rows = axisTiles(height, tileLatent, overlapLatent);
  const auto cols = axisTiles(width, tileLatent, overlapLatent);
  if (rows.size() == 1 && cols.size() == 1) return vae->decode(z);

  at::Tensor sum, weightSum;
  std::int64_t factor = 0;
  at::ScalarType outputType = at::kFloat;
  for (const auto& row : rows) {
    for (const auto& col : cols) {
      const auto piece = z.narrow(2, row.start, row.size).narrow(3, col.start, col.size);
      const auto image = vae->decode(piece.contiguous());
      if (!sum.defined()) {
        factor = image.size(2) / row.size;
        outputType = image.scalar_type();
        const auto options = image.options().dtype(at::kFloat);
        sum = at::zeros({image.size(0), image.size(1), height * factor, width * factor}, options);
        weightSum = at::zeros({1, 1, height * factor, width * factor}, options);
      }
      const auto wy = axisWeights(row.size * factor, row.lead * factor, row.trail * factor);
      const auto wx = axisWeights(col.size * factor, col.lead * factor, col.trail * factor);
      const auto weight = at::outer(wy, wx).to(sum.device()).view({1, 1, wy.size(0), wx.size(0)});
      sum.narrow(2, row.start * factor, row.size * factor)
          .narrow(3, col.start * factor, col.size * factor)
          .add_(image.to(at::kFloat) * weight);
      weightSum.narrow(2, row.start * factor, row.size * factor)
          .narrow(3, col.start * factor, col.size * factor)
          .add_(weight);
    }
  }
  return (sum / weightSum).to(outputType);
}

at::Tensor latentToImageTiled(Vae& vae, const at::Tensor& latent, int tileLatent, int overlapLatent) {
  c10::InferenceMode guard;
  return decodeTiled(vae, latent / vae->config().scaleFactor, tileLatent, overlapLatent);
}

}  // namespace celerity
