#pragma once
// RgbImage <-> tensors, with A1111's arithmetic.
//
// Three tensor forms are used by the imaging code:
//  - VAE tensors: float [N,3,H,W] in [-1,1]. In:  x = (v / 255) * 2 - 1 in float32
//    (`np.array(img).astype(np.float32) / 255.0`, then `image * 2 - 1`). Out: A1111
//    `clamp((x + 1) / 2, 0, 1)`, `255. * x`, `.astype(np.uint8)`: truncation in float32. That
//    truncation is lossy: 63 of the 256 byte values come back one lower after a round trip
//    (e.g. 1 -> 0.99999994 -> 0), exactly as in A1111. `PixelRounding::Round` rounds instead and
//    makes the round trip exact.
//  - pixel tensors: float [N,C,H,W] holding 0..255 (integral where they stand for 8-bit data);
//    what the resamplers and compositors work on.
//  - masks: float [N,1,H,W] in [0,1]; 1 = repaint. A1111 keeps masks as 8-bit 'L' images, so
//    the functions of this folder return masks on the 1/255 grid.
#include <vector>

#include <ATen/ATen.h>

#include "imaging/RgbImage.h"

namespace celerity {

enum class PixelRounding {
  Truncate,  // A1111's decode (`astype(np.uint8)`)
  Round,     // nearest byte: exact round trip
};

// [1,3,H,W] in [-1,1]: v / 255 in float32, moved/cast to `options`, then * 2 - 1 there (A1111
// casts to the VAE's dtype before `* 2 - 1`).
at::Tensor imageToTensor(const RgbImage& image,
                         const at::TensorOptions& options = at::TensorOptions(at::kFloat));
// [N,3,H,W]; every image must have the same size.
at::Tensor imagesToTensor(const std::vector<RgbImage>& images,
                          const at::TensorOptions& options = at::TensorOptions(at::kFloat));

// Accepts [3,H,W] or [1,3,H,W] (any float dtype, any device).
RgbImage tensorToImage(const at::Tensor& tensor, PixelRounding rounding = PixelRounding::Truncate);
// One image per batch entry of [N,3,H,W].
std::vector<RgbImage> tensorToImages(const at::Tensor& batch,
                                     PixelRounding rounding = PixelRounding::Truncate);

// Float [1,3,H,W] with the byte values 0..255, on the CPU.
at::Tensor imageToPixels(const RgbImage& image);
// [1,3,H,W] or [3,H,W] pixel tensor -> image; rounds to nearest and clamps to 0..255. A
// one-channel tensor gives a gray image.
RgbImage pixelsToImage(const at::Tensor& pixels);

// PIL `convert('L')` of an RGB image (ITU-R 601-2 luma in PIL's fixed point) as a mask
// [1,1,H,W] in [0,1].
at::Tensor maskFromImage(const RgbImage& image);
// A gray picture of a mask (rounded to bytes), for previews and saving.
RgbImage maskToImage(const at::Tensor& mask);
// A mask as bytes 0..255 in a float tensor of the same shape (rounded), and back.
at::Tensor maskToBytes(const at::Tensor& mask);
at::Tensor bytesToMask(const at::Tensor& bytes);

// Throws CelerityError(InvalidArgument) naming `where` unless `mask` is a [N,1,H,W] float tensor.
void checkMask(const at::Tensor& mask, const char* where);

}  // namespace celerity
