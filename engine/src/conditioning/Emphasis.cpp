#include "conditioning/Emphasis.h"

#include "celerity/Error.h"

namespace celerity {

namespace {

struct ModeName {
  EmphasisMode mode;
  const char* name;
};

constexpr ModeName kModeNames[] = {
    {EmphasisMode::Original, "Original"},
    {EmphasisMode::NoNorm, "No norm"},
    {EmphasisMode::Ignore, "Ignore"},
    {EmphasisMode::None, "None"},
};

}  // namespace

EmphasisMode emphasisModeFromName(const std::string& name) {
  for (const auto& entry : kModeNames) {
    if (name == entry.name) return entry.mode;
  }
  throw CelerityError(ErrorCode::InvalidArgument,
                      "unknown emphasis mode '" + name +
                          "' (expected Original, No norm, Ignore or None)",
                      "emphasis");
}

const char* emphasisModeName(EmphasisMode mode) {
  for (const auto& entry : kModeNames) {
    if (mode == entry.mode) return entry.name;
  }
  return "Original";
}

at::Tensor applyEmphasis(const at::Tensor& z, const at::Tensor& multipliers, EmphasisMode mode) {
  if (mode == EmphasisMode::Ignore || mode == EmphasisMode::None) return z;
  if (z.dim() != 3 || multipliers.dim() != 2 || multipliers.size(0) != z.size(0) ||
      multipliers.size(1) != z.size(1)) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "emphasis expects z [B, T, C] and multipliers [B, T]", "applyEmphasis");
  }
  const auto weighted = z * multipliers.to(z.device()).unsqueeze(-1);
  if (mode == EmphasisMode::NoNorm) return weighted;
  // "Original": the mean over the whole chunk batch before and after weighting. A1111
  // notes this restoring is ad hoc, but it is what every A1111 image was made with.
  const auto originalMean = z.mean();
  return weighted * (originalMean / weighted.mean());
}

}  // namespace celerity
