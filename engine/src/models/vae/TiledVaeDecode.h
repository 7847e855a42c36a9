#pragma once
// The `vae.tiled` optimization: decode a large latent as overlapping tiles, so the decoder's
// activations (and its attention over all positions) stay the size of one tile. Tiles are
// decoded one after the other and blended with linear ramps across each overlap, which hides
// the seams. The result is not bit-identical to a whole decode when there is more than one tile:
// GroupNorm statistics and the mid-block attention see one tile instead of the whole picture.
// A latent that fits in one tile is decoded exactly as Vae::decode does.
#include <cstdint>
#include <vector>

#include <ATen/ATen.h>

#include "models/vae/Vae.h"

namespace celerity {

// Tile start offsets along one axis of `length` latent pixels: one tile when it fits,
// otherwise the fewest tiles of `tile` whose neighbours overlap by at least `overlap`,
// spread evenly from 0 to length − tile.
std::vector<std::int64_t> tileStarts(std::int64_t length, std::int64_t tile, std::int64_t overlap);

// A drop-in for vae->decode(z): z is the unscaled latent [B, embedDim, h, w] (sampler latent /
// scale factor); the result is the raw decoder output [B, 3, 8h, 8w] in the VAE's dtype and
// device, not clamped. tileLatent ≥ 1 and 0 ≤ overlapLatent < tileLatent (latent pixels);
// otherwise CelerityError(InvalidArgument).
at::Tensor decodeTiled(Vae& vae, const at::Tensor& z, int tileLatent = 64, int overlapLatent = 8);

// The same for the sampler's latent: decodeTiled(latent / scaleFactor), like latentToImage.
at::Tensor latentToImageTiled(Vae& vae, const at::Tensor& latent, int tileLatent = 64,
                              int overlapLatent = 8);

}  // namespace celerity
