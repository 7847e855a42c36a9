#include "pipeline/StageObserver.h"

#include <ATen/ATen.h>

#include "celerity/Error.h"

namespace celerity {

void JobControl::throwIfCancelled(const std::string& where) const {
  if (cancelled()) throw CelerityError(ErrorCode::Cancelled, "job cancelled", where);
}

void JobControl::record(const std::string& name, const at::Tensor& value) const {
  if (!recordsTensors() || !value.defined()) return;
  observer->onTensor(recordPrefix + name, value.detach().to(at::kCPU).clone());
}

StageScope::StageScope(const JobControl& control, std::string stage)
    : observer_(control.observer), stage_(std::move(stage)) {
  if (observer_ != nullptr) observer_->onStageBegin(stage_);
}

StageScope::~StageScope() {
  if (observer_ == nullptr) return;
  try {
    observer_->onStageEnd(stage_);
  } catch (...) {
    // An observer's failure must not replace the error that is unwinding (or end the job).
  }
}

}  // namespace celerity
