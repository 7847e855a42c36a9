#pragma once
// The UNet as a k-diffusion denoiser with classifier-free guidance, as A1111 and ComfyUI run
// it: one batched UNet call on [uncond; cond] per model evaluation,
//   c_in = 1/√(σ² + 1),  eps = UNet(x·c_in, t(σ), context, y),  D = x − σ·eps,
//   guided = D_u + cfg·(D_c − D_u).
// t(σ) is the fractional timestep by log-σ interpolation (k-diffusion, A1111) or the integer
// index of the nearest table entry (Stability sgm). Prompt-editing schedules switch the
// conditioning by model evaluation (A1111 counts its CFG denoiser calls the same way).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "models/unet/UNetModel.h"
#include "pipeline/StageObserver.h"
#include "sampling/Denoiser.h"
#include "sampling/DiscreteSchedule.h"

namespace celerity {

enum class TimestepMode {
  Interpolated = 0,  // k-diffusion sigma_to_t: float timesteps
  NearestIndex,      // sgm DiscreteDenoiser: int64 index of the nearest table sigma
};

// The UNet inputs of one branch: context [B or 1, T, C], y [B or 1, adm] (SDXL) or undefined.
struct BranchConditioning {
  at::Tensor context;
  at::Tensor y;
};

// Used while the evaluation index is at most `untilStep` (A1111's end_at_step); the last
// entry of a schedule covers every later step whatever its value.
struct ScheduledConditioning {
  int untilStep = 0;
  BranchConditioning conditioning;
};
using ConditioningSchedule = std::vector<ScheduledConditioning>;

class CfgDenoiser {
 public:
  // `cond` and `uncond` are schedules of at least one entry; uncond is unused at cfg 1.
  CfgDenoiser(UNetModel unet, const DiscreteSchedule& schedule, TimestepMode mode,
              ConditioningSchedule cond, ConditioningSchedule uncond, double cfgScale,
              const JobControl& control);

  // D(x, sigma) for x [B, C, h, w] and sigma [B]. Records "step.N.{sigma,unet_t,unet_x,eps,
  // denoised}" (N = evaluation index) when the observer records tensors, and runs inside a
  // `sample.step` stage.
  at::Tensor operator()(const at::Tensor& x, const at::Tensor& sigma);

  // A Denoiser bound to this object (which must outlive it).
  Denoiser denoiser();

  int evaluations() const { return evaluations_; }
  // Optional hook applied to every guided prediction (inpainting keeps the unmasked latent).
  void setPostProcess(std::function<at::Tensor(const at::Tensor& denoised)> hook) {
    postProcess_ = std::move(hook);
  }

  // The timestep the UNet gets for each sigma, in the mode's dtype (float32 or int64).
  static at::Tensor timesteps(const DiscreteSchedule& schedule, TimestepMode mode, const at::Tensor& sigma);

 private:
  static const BranchConditioning& pick(const ConditioningSchedule& schedule, int step);
  at::Tensor runUNet(const at::Tensor& x, const at::Tensor& t, const BranchConditioning& branch);

  UNetModel unet_;
  at::TensorOptions unetOptions_;  // the weights' dtype and device
  const DiscreteSchedule& schedule_;
  TimestepMode mode_;
  ConditioningSchedule cond_;
  ConditioningSchedule uncond_;
  double cfgScale_;
  JobControl control_;
  int evaluations_ = 0;
  std::function<at::Tensor(const at::Tensor&)> postProcess_;
};

}  // namespace celerity
