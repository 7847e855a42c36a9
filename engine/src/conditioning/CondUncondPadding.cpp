#include "conditioning/CondUncondPadding.h"

#include "celerity/Error.h"

namespace celerity {

namespace {

void checkContext(const at::Tensor& tensor, const char* what) {
  if (!tensor.defined() || tensor.dim() != 3) {
    throw CelerityError(ErrorCode::InvalidArgument, "expects a context [B, T, C]", what);
  }
}

// Python's // on integers.
std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  const auto q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

at::Tensor appendEmpty(const at::Tensor& tensor, std::int64_t repeats, const at::Tensor& empty) {
  return at::cat({tensor, empty.to(tensor.device(), tensor.scalar_type()).repeat({tensor.size(0), repeats, 1})}, 1);
}

}  // namespace

CondUncondPair padCondUncond(const at::Tensor& cond, const at::Tensor& uncond, const at::Tensor& empty) {
  checkContext(cond, "cond");
  checkContext(uncond, "uncond");
  checkContext(empty, "empty");
  if (empty.size(1) == 0) {
    throw CelerityError(ErrorCode::InvalidArgument, "the empty prompt's context has no tokens", "empty");
  }
  const auto repeats = floorDiv(cond.size(1) - uncond.size(1), empty.size(1));
  CondUncondPair pair{cond, uncond, false};
  if (repeats < 0) {
    pair.cond = appendEmpty(cond, -repeats, empty);
    pair.padded = true;
  } else if (repeats > 0) {
    pair.uncond = appendEmpty(uncond, repeats, empty);
    pair.padded = true;
  }
  return pair;
}

CondUncondPair padCondUncondV0(const at::Tensor& cond, const at::Tensor& uncond) {
  checkContext(cond, "cond");
  checkContext(uncond, "uncond");
  CondUncondPair pair{cond, uncond, false};
  const auto condLength = cond.size(1);
  const auto uncondLength = uncond.size(1);
  if (uncondLength < condLength) {
    const auto last = uncond.slice(1, uncondLength - 1, uncondLength);
    pair.uncond = at::cat({uncond, last.repeat({1, condLength - uncondLength, 1})}, 1);
    pair.padded = true;
  } else if (uncondLength > condLength) {
    pair.uncond = uncond.slice(1, 0, condLength);
    pair.padded = true;
  }
  return pair;
}

}  // namespace celerity
