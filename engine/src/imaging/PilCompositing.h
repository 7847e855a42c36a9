#pragma once
// The few PIL pixel operations A1111's inpainting goes through, reproduced in integer tensor
// arithmetic so that the bytes match: premultiplied ('RGBa') masked paste, RGBa -> RGBA,
// `alpha_composite`, and `GaussianBlur` (PIL's three-pass extended box blur).
//
// RGBA tensors here are int64 [N,4,H,W] holding bytes 0..255, straight (not premultiplied)
// colour unless the name says otherwise. Used by MaskedContent and InpaintOverlay.
#include <ATen/ATen.h>

namespace celerity::pil {

// `Image.new('RGBa').paste(rgb.convert('RGBA').convert('RGBa'), mask=alpha)`: an opaque picture
// ([N,3,H,W] bytes) faded by `alpha` ([N,1,H,W] bytes), premultiplied, [N,4,H,W].
at::Tensor premultipliedPaste(const at::Tensor& rgb, const at::Tensor& alpha);

// `convert('RGBA')` of an 'RGBa' picture: colour = 255 * c / a (truncated, clipped) where
// 0 < a < 255.
at::Tensor unpremultiply(const at::Tensor& rgba);

// `Image.alpha_composite(dst, src)`: src over dst, PIL's fixed-point formula.
at::Tensor alphaComposite(const at::Tensor& dst, const at::Tensor& src);

// `filter(ImageFilter.GaussianBlur(radius))` on every channel of [N,C,H,W] bytes.
at::Tensor gaussianBlur(const at::Tensor& bytes, float radius);

// An opaque RGBA picture from [N,3,H,W] bytes.
at::Tensor opaque(const at::Tensor& rgb);

}  // namespace celerity::pil
