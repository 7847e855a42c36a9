// validateRequest: every check names the Request field it concerns, so the CLI and the UI can
// point at the input to fix. Sampler and scheduler names are checked against the registries.
#include <cmath>
#include <string>
#include <utility>

#include "celerity/Error.h"
#include "celerity/Request.h"
#include "imaging/LatentUpscale.h"
#include "sampling/SamplerRegistry.h"
#include "sampling/ScheduleRegistry.h"

namespace celerity {
namespace {

// Larger sides are refused before any allocation (A1111's slider stops at 2048; 8192 leaves
// room for hires fix).
constexpr int kMaxSide = 8192;
constexpr int kMaxSteps = 10000;
constexpr int kMaxBatchSize = 64;
constexpr int kMaxBatchCount = 100000;
constexpr double kMaxHiresScale = 8.0;

[[noreturn]] void fail(const std::string& field, const std::string& message) {
  throw CelerityError(ErrorCode::InvalidArgument, message, "Request." + field);
}

void checkSide(const std::string& field, int value) {
  if (value < 8 || value > kMaxSide || value % 8 != 0) {
    fail(field, field + " must be a multiple of 8 between 8 and " + std::to_string(kMaxSide) +
                    ", got " + std::to_string(value));
  }
}

void checkRange(const std::string& field, int value, int low, int high) {
  if (value < low || value > high) {
    fail(field, field + " must be between " + std::to_string(low) + " and " +
                    std::to_string(high) + ", got " + std::to_string(value));
  }
}

void checkUnit(const std::string& field, double value) {
  if (!std::isfinite(value) || value < 0.0 || value > 1.0) {
    fail(field, field + " must be between 0 and 1, got " + std::to_string(value));
  }
}

void checkName(const std::string& field, const std::string& name, void (*lookup)(const std::string&)) {
  try {
    lookup(name);
  } catch (const CelerityError& e) {
    fail(field, e.error().message);
  }
}

std::string latentUpscalerNames() {
  std::string names;
  for (const auto mode : latentUpscaleModes()) names += std::string(names.empty() ? "" : ", ") + latentUpscaleModeName(mode);
  return names;
}

}  // namespace

void validateRequest(const Request& r) {
  checkSide("width", r.width);
  checkSide("height", r.height);
  checkRange("steps", r.steps, 1, kMaxSteps);
  if (!std::isfinite(r.cfgScale) || r.cfgScale < 0.0 || r.cfgScale > 100.0) {
    fail("cfgScale", "cfgScale must be between 0 and 100, got " + std::to_string(r.cfgScale));
  }
  if (r.seed < -1 || r.seed > 0xFFFFFFFFll) {
    fail("seed", "seed must be -1 (random) or between 0 and 4294967295, got " + std::to_string(r.seed));
  }
  checkRange("batchCount", r.batchCount, 1, kMaxBatchCount);
  checkRange("batchSize", r.batchSize, 1, kMaxBatchSize);
  checkRange("clipSkip", r.clipSkip, 1, 12);
  checkName("sampler", r.sampler, [](const std::string& n) { findSampler(n); });
  checkName("scheduler", r.scheduler, [](const std::string& n) { findSchedule(n); });

  if (r.isImg2Img()) {
    checkUnit("img2img.denoisingStrength", r.img2img.denoisingStrength);
    if (r.img2img.resizeMode == ImageResizeMode::Invalid) fail("img2img.resizeMode", "no resize mode set");
  }
  if (r.isInpaint()) {
    if (!r.isImg2Img()) fail("inpaint.maskPath", "a mask needs an init image (img2img.initImagePath)");
    checkRange("inpaint.maskBlur", r.inpaint.maskBlur, 0, 256);
    checkRange("inpaint.onlyMaskedPadding", r.inpaint.onlyMaskedPadding, 0, 1024);
    if (r.inpaint.maskedContent == MaskedContent::Invalid) {
      fail("inpaint.maskedContent", "no masked content mode set");
    }
  }
  if (r.hires.enabled) {
    if (r.isImg2Img()) fail("hires.enabled", "hires fix applies to txt2img only");
    if (!std::isfinite(r.hires.scale) || r.hires.scale < 1.0 || r.hires.scale > kMaxHiresScale) {
      fail("hires.scale", "hires.scale must be between 1 and 8, got " + std::to_string(r.hires.scale));
    }
    checkRange("hires.steps", r.hires.steps, 0, kMaxSteps);
    checkUnit("hires.denoisingStrength", r.hires.denoisingStrength);
    if (!latentUpscaleModeFromName(r.hires.upscaler)) {
      fail("hires.upscaler", "unknown upscaler '" + r.hires.upscaler + "'; this build has " + latentUpscalerNames());
    }
    const auto scaled = [&](int side) { return static_cast<int>(side * r.hires.scale) / 8 * 8; };
    checkSide("hires.scale (width)", scaled(r.width));
    checkSide("hires.scale (height)", scaled(r.height));
  }
  const auto& s = r.sdxlSize;
  for (const auto& [field, value] : {std::pair<const char*, int>{"sdxlSize.originalWidth", s.originalWidth},
                                     {"sdxlSize.originalHeight", s.originalHeight},
                                     {"sdxlSize.cropTop", s.cropTop},
                                     {"sdxlSize.cropLeft", s.cropLeft},
                                     {"sdxlSize.targetWidth", s.targetWidth},
                                     {"sdxlSize.targetHeight", s.targetHeight}}) {
    checkRange(field, value, 0, 1 << 16);
  }
}

const char* maskedContentName(MaskedContent content) {
  switch (content) {
    case MaskedContent::Fill: return "fill";
    case MaskedContent::Original: return "original";
    case MaskedContent::LatentNoise: return "latent noise";
    case MaskedContent::LatentNothing: return "latent nothing";
    case MaskedContent::Invalid: break;
  }
  return "invalid";
}

}  // namespace celerity
