#include "pipeline/CfgDenoiser.h"

#include <c10/core/InferenceMode.h>

#include "celerity/Error.h"
#include "pipeline/UNetExecutor.h"

namespace celerity {
namespace {

constexpr const char* kWhere = "CfgDenoiser";

// [1, …] conditioning is shared by every batch row; [B, …] is used as it is.
at::Tensor toBatch(const at::Tensor& t, std::int64_t batch, const char* what) {
  if (!t.defined()) return t;
  if (t.size(0) == batch) return t;
  if (t.size(0) == 1) {
    auto sizes = t.sizes().vec();
    sizes[0] = batch;
    return t.expand(sizes);
  }
  throw CelerityError(ErrorCode::InvalidArgument,
                      std::string(what) + " has batch " + std::to_string(t.size(0)) + ", the latent " +
                          std::to_string(batch),
                      kWhere);
}

// Per-row scalar [B] → [B, 1, 1, 1] so that it scales a latent row.
at::Tensor perRow(const at::Tensor& scalar, const at::Tensor& like) {
  std::vector<std::int64_t> shape(static_cast<std::size_t>(like.dim()), 1);
  shape[0] = scalar.size(0);
  return scalar.reshape(shape);
}

bool sameShape(const at::Tensor& a, const at::Tensor& b) {
  if (a.defined() != b.defined()) return false;
  return !a.defined() || a.sizes().slice(1) == b.sizes().slice(1);
}

}  // namespace

CfgDenoiser::CfgDenoiser(UNetModel unet, const DiscreteSchedule& schedule, TimestepMode mode,
                         ConditioningSchedule cond, ConditioningSchedule uncond, double cfgScale,
                         const JobControl& control)
    : unet_(std::move(unet)),
      schedule_(schedule),
      mode_(mode),
      cond_(std::move(cond)),
      uncond_(std::move(uncond)),
      cfgScale_(cfgScale),
      control_(control) {
  const auto parameters = unet_->parameters();
  if (!parameters.empty()) unetOptions_ = parameters.front().options();
  if (cond_.empty() || (cfgScale_ != 1.0 && uncond_.empty())) {
    throw CelerityError(ErrorCode::InvalidArgument, "cond and uncond need at least one conditioning",
                        kWhere);
  }
}

Denoiser CfgDenoiser::denoiser() {
  return [this](const at::Tensor& x, const at::Tensor& sigma) { return (*this)(x, sigma); };
}

const BranchConditioning& CfgDenoiser::pick(const ConditioningSchedule& schedule, int step) {
  for (const auto& entry : schedule) {
    if (step <= entry.untilStep) return entry.conditioning;
  }
  return schedule.back().conditioning;
}

at::Tensor CfgDenoiser::timesteps(const DiscreteSchedule& schedule, TimestepMode mode,
                                  const at::Tensor& sigma) {
  if (mode == TimestepMode::NearestIndex) {
    const auto values = sigma.detach().to(at::kCPU, at::kDouble).contiguous();
    const auto* s = values.data_ptr<double>();
    std::vector<std::int64_t> t(static_cast<std::size_t>(values.numel()));
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = schedule.nearestTimestep(s[i]);
    return at::tensor(t, at::kLong);
  }
  // k-diffusion DiscreteSchedule.sigma_to_t, op for op in float32, so that a sigma of the
  // table gives its integer timestep exactly (the last step of "normal" runs at t = 0).
  const auto logSigma = sigma.detach().to(at::kCPU, at::kFloat).reshape({-1}).log();
  const auto& logSigmas = schedule.logSigmas();
  const auto dists = logSigma.unsqueeze(0) - logSigmas.unsqueeze(1);
  const auto lowIndex = dists.ge(0).cumsum(0).argmax(0).clamp_max(logSigmas.size(0) - 2);
  const auto highIndex = lowIndex + 1;
  const auto low = logSigmas.index_select(0, lowIndex);
  const auto high = logSigmas.index_select(0, highIndex);
  const auto w = ((low - logSigma) / (low - high)).clamp(0, 1);
  return (1 - w) * lowIndex + w * highIndex;
}

at::Tensor CfgDenoiser::runUNet(const at::Tensor& x, const at::Tensor& t, const BranchConditioning& branch) {
  const auto batch = x.size(0);
  const auto device = unetOptions_.device();
  const auto dtype = unetOptions_.dtype().toScalarType();
  const auto context = toBatch(branch.context, batch, "context").to(device, dtype);
  const auto y = branch.y.defined() ? toBatch(branch.y, batch, "y").to(device, dtype) : at::Tensor();
  auto input = x.to(device, dtype);
  if (control_.switches.channelsLast) input = input.contiguous(at::MemoryFormat::ChannelsLast);
  const auto output = control_.unetExecutor != nullptr
                          ? control_.unetExecutor->forward(unet_, input, t.to(device), context, y)
                          : unet_->forward(input, t.to(device), context, y);
  return output.contiguous().to(x.device(), x.scalar_type());
}

at::Tensor CfgDenoiser::operator()(const at::Tensor& x, const at::Tensor& sigma) {
  c10::InferenceMode guard;
  control_.throwIfCancelled("sample.step");
  StageScope stage(control_, stages::kSampleStep);
  const int step = evaluations_++;
  const auto batch = x.size(0);
  const auto sigmaRow = perRow(sigma.to(x.device(), x.scalar_type()), x);
  const auto xIn = x * (1.0 / (sigmaRow * sigmaRow + 1.0).sqrt());
  const auto t = timesteps(schedule_, mode_, sigma);
  const auto& cond = pick(cond_, step);

  at::Tensor eps;       // [uncond; cond] rows, or cond only at cfg 1
  at::Tensor unetX, unetT;
  if (cfgScale_ == 1.0) {
    unetX = xIn;
    unetT = t;
    eps = runUNet(xIn, t, cond);
  } else {
    const auto& uncond = pick(uncond_, step);
    unetX = at::cat({xIn, xIn});
    unetT = at::cat({t, t});
    if (control_.switches.cfgBatch && sameShape(cond.context, uncond.context) && sameShape(cond.y, uncond.y)) {
      BranchConditioning both;
      both.context = at::cat({toBatch(uncond.context, batch, "uncond context"),
                              toBatch(cond.context, batch, "cond context")});
      if (cond.y.defined()) {
        both.y = at::cat({toBatch(uncond.y, batch, "uncond y"), toBatch(cond.y, batch, "cond y")});
      }
      eps = runUNet(unetX, unetT, both);
    } else {
      // Different prompt lengths (77·N tokens), or `unet.cfg_batch` off: two calls, as
      // A1111 does without padding.
      eps = at::cat({runUNet(xIn, t, uncond), runUNet(xIn, t, cond)});
    }
  }

  at::Tensor denoised;
  if (cfgScale_ == 1.0) {
    denoised = x - sigmaRow * eps;
  } else {
    const auto dUncond = x - sigmaRow * eps.narrow(0, 0, batch);
    const auto dCond = x - sigmaRow * eps.narrow(0, batch, batch);
    denoised = dUncond + (dCond - dUncond) * cfgScale_;
  }
  if (postProcess_) denoised = postProcess_(denoised);

  if (control_.recordsTensors()) {
    const std::string prefix = "step." + std::to_string(step) + ".";
    control_.record(prefix + "sigma", sigma);
    control_.record(prefix + "unet_t", unetT);
    control_.record(prefix + "unet_x", unetX);
    control_.record(prefix + "eps", eps);
    control_.record(prefix + "denoised", denoised);
  }
  return denoised;
}

}  // namespace celerity
