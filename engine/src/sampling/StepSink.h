#pragma once
// Where a sampler reports progress and learns that it should stop. Samplers call report()
// once per step (after the step's first model call) and check the cancel token before every
// model call, so a cancel set from another thread ends the run before the next evaluation.
#include <atomic>
#include <functional>

#include <ATen/core/Tensor.h>

namespace celerity {

struct StepSink {
  // step counts from 0 to total − 1; `x` is the state at the start of the step (for uni_pc:
  // after it, as ComfyUI reports), `denoised` the model's estimate, `sigma` x's noise level.
  using Callback = std::function<void(int step, int total, const at::Tensor& x,
                                      const at::Tensor& denoised, double sigma)>;

  Callback onStep;                          // may be empty
  const std::atomic<bool>* cancel = nullptr;  // shared token; may be null (never cancelled)

  bool cancelled() const { return cancel != nullptr && cancel->load(std::memory_order_relaxed); }
  // Throws CelerityError(ErrorCode::Cancelled) when the token is set.
  void throwIfCancelled() const;
  void report(int step, int total, const at::Tensor& x, const at::Tensor& denoised,
              double sigma) const;
};

}  // namespace celerity
