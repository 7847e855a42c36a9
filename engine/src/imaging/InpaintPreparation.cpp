#include "imaging/InpaintPreparation.h"

#include "celerity/Error.h"
#include "imaging/ImageConversion.h"
#include "imaging/InpaintMask.h"
#include "imaging/InpaintOverlay.h"

namespace celerity {

PreparedInpaint prepareInpaint(const RgbImage& init, const at::Tensor& mask,
                               const InpaintSettings& settings) {
  init.validate("prepareInpaint");
  checkMask(mask, "prepareInpaint");
  if (mask.size(0) != 1 || mask.size(2) != init.height || mask.size(3) != init.width) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "mask " + c10::str(mask.sizes()) + " does not match the image of " +
                            std::to_string(init.width) + "x" + std::to_string(init.height),
                        "prepareInpaint");
  }
  const int w = settings.width, h = settings.height;
  at::Tensor m = settings.roundMask ? binarizeMask(mask) : bytesToMask(maskToBytes(mask));
  if (settings.invertMask) m = invertMask(m);
  m = blurMask(m, settings.maskBlurX, settings.maskBlurY);

  PreparedInpaint out;
  out.masked = true;
  if (settings.onlyMasked) {
    out.overlayMask = m;
    const auto region = getCropRegion(m, settings.onlyMaskedPadding);
    if (!region) {
      // A1111: 'Unable to perform "Inpaint Only mask" because mask is blank'.
      out.masked = false;
      out.overlayMask = at::Tensor();
      out.image = resizeInitImage(settings.resizeMode, init, w, h);
      return out;
    }
    const auto expanded = expandCropRegion(*region, w, h, init.width, init.height);
    out.pasteRegion = expanded;
    out.mask = resizeMask(ResizeMode::ResizeAndFill, cropTensor(m, expanded), w, h);
    out.overlayOriginal = init;
    out.image = resizeImage(ResizeMode::ResizeAndFill, cropImage(init, expanded), w, h);
  } else {
    out.mask = resizeMask(settings.resizeMode, m, w, h);
    out.image = resizeInitImage(settings.resizeMode, init, w, h);
    out.overlayOriginal = out.image;
    out.overlayMask = wholePictureOverlayMask(out.mask);
    if (out.overlayMask.size(3) != out.image.width || out.overlayMask.size(2) != out.image.height) {
      // Resize mode 3 keeps the picture's size; A1111 resizes the overlay mask back to it.
      out.overlayMask =
          resizeMask(settings.resizeMode, out.overlayMask, out.image.width, out.image.height);
    }
  }
  if (settings.fill == InpaintFill::Fill) {
    // A1111 fills with the processing mask; in resize mode 3 (picture at its own size) that
    // would not match the picture, so it is resized to it first.
    at::Tensor fillMask = out.mask;
    if (fillMask.size(3) != out.image.width || fillMask.size(2) != out.image.height) {
      fillMask = resizeMask(settings.resizeMode, fillMask, out.image.width, out.image.height);
    }
    out.image = fillMaskedArea(out.image, fillMask);
  }
  return out;
}

RgbImage finishInpaint(const PreparedInpaint& prepared, const RgbImage& generated) {
  if (!prepared.masked) return generated;
  return pasteBack(prepared.overlayOriginal, generated, prepared.overlayMask,
                   prepared.pasteRegion);
}

}  // namespace celerity
