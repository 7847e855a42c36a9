#include "pipeline/Img2Img.h"

#include <algorithm>

#include "celerity/Error.h"
#include "imaging/ImageConversion.h"
#include "imaging/ImageFiles.h"
#include "imaging/InpaintMask.h"
#include "imaging/LatentUpscale.h"
#include "imaging/ResizeModes.h"
#include "pipeline/LatentImages.h"
#include "pipeline/PngImageReader.h"

namespace celerity {
namespace {

constexpr double kMaxStrength = 0.999;  // A1111 keeps one step of the init image's structure

constexpr bool kHaveOpenCv =
#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV
    true;
#else
    false;
#endif

ResizeMode toImagingMode(ImageResizeMode mode) {
  switch (mode) {
    case ImageResizeMode::JustResize: return ResizeMode::JustResize;
    case ImageResizeMode::CropAndResize: return ResizeMode::CropAndResize;
    case ImageResizeMode::ResizeAndFill: return ResizeMode::ResizeAndFill;
    case ImageResizeMode::LatentUpscale: return ResizeMode::LatentUpscale;
    case ImageResizeMode::Invalid: break;
  }
  throw CelerityError(ErrorCode::InvalidArgument, "no resize mode set", "Request.img2img.resizeMode");
}

InpaintFill toImagingFill(MaskedContent content) {
  switch (content) {
    case MaskedContent::Fill: return InpaintFill::Fill;
    case MaskedContent::Original: return InpaintFill::Original;
    case MaskedContent::LatentNoise: return InpaintFill::LatentNoise;
    case MaskedContent::LatentNothing: return InpaintFill::LatentNothing;
    case MaskedContent::Invalid: break;
  }
  throw CelerityError(ErrorCode::InvalidArgument, "no masked content set", "Request.inpaint.maskedContent");
}

InpaintSettings inpaintSettings(const Request& request) {
  InpaintSettings settings;
  settings.width = request.width;
  settings.height = request.height;
  settings.resizeMode = toImagingMode(request.img2img.resizeMode);
  settings.maskBlurX = settings.maskBlurY = request.inpaint.maskBlur;
  settings.invertMask = request.inpaint.invertMask;
  settings.onlyMasked = request.inpaint.onlyMasked;
  settings.onlyMaskedPadding = request.inpaint.onlyMaskedPadding;
  settings.fill = toImagingFill(request.inpaint.maskedContent);
  return settings;
}

}  // namespace

Sigmas img2imgSigmas(const SamplingPlan& plan, const DiscreteSchedule& table, int steps, double strength,
                     bool fixedSteps) {
  if (strength <= 0.0 || steps < 1) return {};
  int totalSteps = steps;
  int tEnc = 0;
  if (fixedSteps) {
    totalSteps = static_cast<int>(steps / std::min(strength, kMaxStrength));
    tEnc = steps - 1;
  } else {
    tEnc = static_cast<int>(std::min(strength, kMaxStrength) * steps);
  }
  const auto full = plan.sigmas(table, totalSteps);
  // sigma_sched = sigmas[steps − t_enc − 1:]
  const auto first = static_cast<std::size_t>(std::max(0, totalSteps - tEnc - 1));
  if (first + 2 > full.size()) {
    throw CelerityError(ErrorCode::Internal, "img2img schedule too short", "img2imgSigmas");
  }
  return Sigmas(full.begin() + static_cast<std::ptrdiff_t>(first), full.end());
}

RgbImage loadInitImage(const std::string& path) {
  if (kHaveOpenCv) return loadImage(path);  // A1111: transparent pixels onto white
  return readPngImage(path);
}

at::Tensor loadMaskFile(const std::string& path) {
  if (kHaveOpenCv) return loadMask(path);
  return maskFromImage(readPngImage(path));
}

PreparedInit prepareInit(LoadedModel& model, const Request& request, const JobControl& control) {
  PreparedInit prepared;
  prepared.maskedContent = request.isInpaint() ? request.inpaint.maskedContent : MaskedContent::Original;
  RgbImage image;
  {
    StageScope stage(control, stages::kImageLoad);
    image = loadInitImage(request.img2img.initImagePath);
    if (request.isInpaint()) {
      const auto mask = loadMaskFile(request.inpaint.maskPath);
      prepared.inpaint = prepareInpaint(image, mask, inpaintSettings(request));
      image = prepared.inpaint->image;
    } else {
      image = resizeInitImage(toImagingMode(request.img2img.resizeMode), image, request.width, request.height);
    }
  }
  prepared.latent = encodeImages(model, imageToTensor(image), control);
  const auto factor = model.spatialFactor();
  const auto latentHeight = request.height / factor;
  const auto latentWidth = request.width / factor;
  if (prepared.latent.size(2) != latentHeight || prepared.latent.size(3) != latentWidth) {
    // "Just resize (latent upscale)": the image was encoded at its own size.
    prepared.latent = resizeInitLatent(prepared.latent, request.width, request.height, static_cast<int>(factor));
  }
  if (prepared.inpaint && prepared.inpaint->masked) {
    prepared.latentMask =
        latentMask(prepared.inpaint->mask, latentWidth, latentHeight).to(prepared.latent.options());
    control.record("latent_mask", prepared.latentMask);
  }
  return prepared;
}

at::Tensor startLatent(const PreparedInit& prepared, const at::Tensor& noise, double sigma, at::Tensor& init) {
  init = prepared.latent.to(noise.device(), noise.scalar_type()).expand_as(noise).clone();
  if (prepared.latentMask.defined()) {
    const auto m = prepared.latentMask.to(noise.device(), noise.scalar_type());
    if (prepared.maskedContent == MaskedContent::LatentNoise) {
      init = init * (1.0 - m) + noise * m;
    } else if (prepared.maskedContent == MaskedContent::LatentNothing) {
      init = init * (1.0 - m);
    }
  }
  return init + noise * sigma;
}

std::vector<RgbImage> finishImages(const PreparedInit& prepared, std::vector<RgbImage> images,
                                   const JobControl& control) {
  if (!prepared.inpaint) return images;
  StageScope stage(control, stages::kInpaintPaste);
  for (auto& image : images) image = finishInpaint(*prepared.inpaint, image);
  return images;
}

}  // namespace celerity
