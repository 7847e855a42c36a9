#include "imaging/InpaintOverlay.h"

#include <algorithm>

#include "celerity/Error.h"
#include "imaging/ImageConversion.h"
#include "imaging/PilCompositing.h"
#include "imaging/ResizeModes.h"

namespace celerity {

RgbImage pasteBack(const RgbImage& original, const RgbImage& generated,
                   const at::Tensor& overlayMask, const std::optional<CropRegion>& pasteRegion) {
  original.validate("pasteBack: original");
  generated.validate("pasteBack: generated");
  checkMask(overlayMask, "pasteBack");
  if (overlayMask.size(0) != 1 || overlayMask.size(2) != original.height ||
      overlayMask.size(3) != original.width) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "overlay mask " + c10::str(overlayMask.sizes()) +
                            " does not match the original of " + std::to_string(original.width) +
                            "x" + std::to_string(original.height),
                        "pasteBack");
  }
  // The overlay: the original with alpha 255 - mask, through 'RGBa' as A1111 builds it.
  const auto keep = 255 - maskToBytes(overlayMask.cpu()).to(at::kLong);
  const auto overlay =
      pil::unpremultiply(pil::premultipliedPaste(imageToPixels(original).to(at::kLong), keep));

  at::Tensor base;
  if (pasteRegion) {
    if (pasteRegion->width() <= 0 || pasteRegion->height() <= 0) {
      throw CelerityError(ErrorCode::InvalidArgument, "empty paste region", "pasteBack");
    }
    // uncrop: a transparent canvas with the resized result placed at the region.
    const auto fitted = resizePixels(ResizeMode::CropAndResize, imageToPixels(generated),
                                     pasteRegion->width(), pasteRegion->height());
    base = at::zeros({1, 4, original.height, original.width}, at::kLong);
    const int x0 = std::max(pasteRegion->x1, 0), y0 = std::max(pasteRegion->y1, 0);
    const int x1 = std::min(pasteRegion->x2, original.width);
    const int y1 = std::min(pasteRegion->y2, original.height);
    if (x1 > x0 && y1 > y0) {
      base.slice(3, x0, x1).slice(2, y0, y1).copy_(
          pil::opaque(fitted)
              .slice(3, x0 - pasteRegion->x1, x1 - pasteRegion->x1)
              .slice(2, y0 - pasteRegion->y1, y1 - pasteRegion->y1));
    }
  } else {
    if (generated.width != original.width || generated.height != original.height) {
      throw CelerityError(ErrorCode::InvalidArgument,
                          "generated image of " + std::to_string(generated.width) + "x" +
                              std::to_string(generated.height) +
                              " does not match the original; pass the paste region",
                          "pasteBack");
    }
    base = pil::opaque(imageToPixels(generated));
  }
  const auto composed = pil::alphaComposite(base, overlay);
  return pixelsToImage(composed.slice(1, 0, 3).to(at::kFloat));
}

}  // namespace celerity
