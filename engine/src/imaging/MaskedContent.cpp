#include "imaging/MaskedContent.h"

#include <utility>

#include "celerity/Error.h"
#include "imaging/ImageConversion.h"
#include "imaging/PilCompositing.h"

namespace celerity {
namespace {

struct FillName {
  InpaintFill fill;
  const char* name;
};
constexpr FillName kFillNames[] = {
    {InpaintFill::Fill, "fill"},
    {InpaintFill::Original, "original"},
    {InpaintFill::LatentNoise, "latent noise"},
    {InpaintFill::LatentNothing, "latent nothing"},
};

// (blur radius, times composited), A1111's schedule.
constexpr std::pair<float, int> kFillPasses[] = {{256, 1}, {64, 1}, {16, 2},
                                                 {4, 4},   {2, 2},  {0, 1}};

}  // namespace

const char* inpaintFillName(InpaintFill fill) {
  for (const auto& entry : kFillNames) {
    if (entry.fill == fill) return entry.name;
  }
  return "original";
}

std::optional<InpaintFill> inpaintFillFromName(const std::string& name) {
  for (const auto& entry : kFillNames) {
    if (name == entry.name) return entry.fill;
  }
  return std::nullopt;
}

RgbImage fillMaskedArea(const RgbImage& image, const at::Tensor& mask) {
  image.validate("fillMaskedArea");
  checkMask(mask, "fillMaskedArea");
  if (mask.size(0) != 1 || mask.size(2) != image.height || mask.size(3) != image.width) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "mask " + c10::str(mask.sizes()) + " does not match the image of " +
                            std::to_string(image.width) + "x" + std::to_string(image.height),
                        "fillMaskedArea");
  }
  const auto rgb = imageToPixels(image).to(at::kLong);
  const auto keep = 255 - maskToBytes(mask.cpu()).to(at::kLong);
  const auto masked = pil::premultipliedPaste(rgb, keep);
  auto result = at::zeros_like(masked);
  for (const auto& [radius, repeats] : kFillPasses) {
    const auto blurred = pil::unpremultiply(pil::gaussianBlur(masked, radius));
    for (int i = 0; i < repeats; ++i) result = pil::alphaComposite(result, blurred);
  }
  return pixelsToImage(result.slice(1, 0, 3).to(at::kFloat));
}

}  // namespace celerity
