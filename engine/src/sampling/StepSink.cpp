#include "sampling/StepSink.h"

#include "celerity/Error.h"

namespace celerity {

void StepSink::throwIfCancelled() const {
  if (cancelled()) throw CelerityError(ErrorCode::Cancelled, "sampling cancelled", "sampler");
}

void StepSink::report(int step, int total, const at::Tensor& x, const at::Tensor& denoised,
                      double sigma) const {
  if (onStep) onStep(step, total, x, denoised, sigma);
}

}  // namespace celerity
