#pragma once
// Mask preparation of A1111 inpainting (`modules/processing.py`,
// StableDiffusionProcessingImg2Img.init, and `modules/images.py`).
//
// Masks are [N,1,H,W] float tensors in [0,1], 1 = repaint (see ImageConversion.h); every
// function here returns masks on the 1/255 grid, as A1111's 8-bit masks are.
#include <ATen/ATen.h>

namespace celerity {

// `create_binary_mask(round=True)`: 1 where the 8-bit value is > 128, else 0.
at::Tensor binarizeMask(const at::Tensor& mask);

// `ImageOps.invert` ("Mask mode: Inpaint not masked").
at::Tensor invertMask(const at::Tensor& mask);

// A1111 >= 1.6 mask blur: `cv2.GaussianBlur` along x with kernel size 2*int(2.5*blurX+0.5)+1 and
// sigma blurX, then along y with blurY (0 skips an axis), mirrored borders (BORDER_REFLECT_101),
// on the 8-bit mask. With CELERITY_WITH_OPENCV the blur is OpenCV's own (byte-exact with A1111;
// the tensor goes through the CPU); without it a float Gaussian in torch, which differs from
// OpenCV's fixed-point result by at most 2/255 on a few percent of the pixels.
at::Tensor blurMask(const at::Tensor& mask, double blurX, double blurY);

// The kernel size A1111 uses for a blur: 2 * int(2.5 * blur + 0.5) + 1.
int maskBlurKernelSize(double blur);

// "Whole picture" inpainting composites with the resized mask doubled and clipped
// (`np.clip(mask * 2, 0, 255)`), so the repainted area covers the blur's inner half.
at::Tensor wholePictureOverlayMask(const at::Tensor& mask);

// The latent mask ("nmask": 1 = repaint) for a latent of latentWidth x latentHeight: A1111
// `latent_mask.convert('RGB').resize((w, h))` (PIL BICUBIC on the 8-bit mask), / 255, then
// `np.around` when `round` (A1111 `mask_round`, on unless soft inpainting). The pipeline uses
// `1 - m` to keep the init latent and `m` for the parts it denoises, broadcast over the latent
// channels. Returns [N,1,latentHeight,latentWidth] on the mask's device.
at::Tensor latentMask(const at::Tensor& mask, std::int64_t latentWidth, std::int64_t latentHeight,
                      bool round = true);

}  // namespace celerity
