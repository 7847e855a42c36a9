#pragma once
// Putting the generated picture back into the original (A1111 `processing.apply_overlay`,
// `uncrop`): the original, faded out by the overlay mask, is composited over the result, so
// unmasked pixels stay the original's bytes.
#include <optional>

#include <ATen/ATen.h>

#include "imaging/CropRegion.h"
#include "imaging/RgbImage.h"

namespace celerity {

// `original`: the picture the overlay was made from (the init image after `resizeInitImage`
// for "Whole picture", the untouched init image for "Only masked").
// `overlayMask`: [1,1,H,W] at the original's size, 1 = take the generated pixel (the blurred
// mask for "Only masked", `wholePictureOverlayMask` of the resized one for "Whole picture").
// `generated`: the decoded result. Without `pasteRegion` it must have the original's size; with
// it, it is resized by "Crop and resize" to the region and placed there (outside the region the
// original is kept).
// Bytes equal A1111's (PIL's premultiplied paste, RGBa -> RGBA and alpha_composite maths).
RgbImage pasteBack(const RgbImage& original, const RgbImage& generated,
                   const at::Tensor& overlayMask,
                   const std::optional<CropRegion>& pasteRegion = std::nullopt);

}  // namespace celerity
