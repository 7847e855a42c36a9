#pragma once
// The image side of A1111 img2img with a mask, in A1111's order
// (`StableDiffusionProcessingImg2Img.init` and `apply_overlay`), built from the pieces of this
// folder. The pipeline:
//   auto prep = prepareInpaint(init, mask, settings);
//   latent = encode(imageToTensor(prep.image));
//   if (settings.resizeMode == ResizeMode::LatentUpscale) latent = resizeInitLatent(latent, w, h);
//   if (prep.masked) m = latentMask(prep.mask, latentW, latentH, settings.roundMask);
//   ... LatentNoise / LatentNothing on the latent (MaskedContent.h), sample with m ...
//   result = finishInpaint(prep, tensorToImage(decoded));
#include <optional>

#include <ATen/ATen.h>

#include "imaging/CropRegion.h"
#include "imaging/MaskedContent.h"
#include "imaging/ResizeModes.h"
#include "imaging/RgbImage.h"

namespace celerity {

struct InpaintSettings {
  int width = 512;  // processing (generation) size
  int height = 512;
  ResizeMode resizeMode = ResizeMode::JustResize;
  double maskBlurX = 4;  // A1111 "Mask blur" (one UI value sets both)
  double maskBlurY = 4;
  bool invertMask = false;  // "Mask mode: Inpaint not masked"
  bool onlyMasked = false;  // "Inpaint area: Only masked" (inpaint_full_res)
  int onlyMaskedPadding = 32;
  InpaintFill fill = InpaintFill::Original;
  bool roundMask = true;  // A1111 mask_round: binarize the mask (off for soft inpainting)
};

struct PreparedInpaint {
  // False when "Only masked" found a blank mask: A1111 then runs plain img2img on `image`
  // and `finishInpaint` returns the result unchanged.
  bool masked = false;
  RgbImage image;  // what the VAE encodes (fill already applied)
  // The processing mask, [1,1,H,W] at the processing size (A1111 `image_mask`, the default
  // `latent_mask`); undefined when !masked.
  at::Tensor mask;
  RgbImage overlayOriginal;  // the picture results are pasted into
  at::Tensor overlayMask;    // its alpha (1 = generated pixel), at overlayOriginal's size
  std::optional<CropRegion> pasteRegion;  // "Only masked": where the result goes
};

// `mask`: [1,1,H,W] in [0,1] at the init image's size (e.g. from loadMask).
PreparedInpaint prepareInpaint(const RgbImage& init, const at::Tensor& mask,
                               const InpaintSettings& settings);

// The decoded result composited into the original (A1111 `apply_overlay`).
RgbImage finishInpaint(const PreparedInpaint& prepared, const RgbImage& generated);

}  // namespace celerity
