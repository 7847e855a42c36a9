// Euler, Euler ancestral, Heun, DPM2, DPM2 ancestral, DDIM and LCM.
#include <cmath>

#include <ATen/ATen.h>

#include "sampling/SamplerSupport.h"
#include "sampling/Samplers.h"

namespace celerity {

using sampling::AncestralStep;
using sampling::NoiseDraw;
using sampling::ancestralStep;
using sampling::applyChurn;
using sampling::denoise;
using sampling::stepCount;
using sampling::toD;

namespace {

// exp(lerp(log a, log b, 1/2)): the geometric midpoint DPM2 evaluates at.
double logMidpoint(double a, double b) { return std::exp(0.5 * (std::log(a) + std::log(b))); }

}  // namespace

at::Tensor sampleEuler(const Denoiser& model, at::Tensor x, const Sigmas& sigmas, StepSink& sink,
                       const SamplerOptions& options) {
  const int steps = stepCount(sigmas, "euler");
  NoiseDraw noise(options, x);
  for (int i = 0; i < steps; ++i) {
    const double sigmaHat = applyChurn(x, sigmas, i, options, noise);
    const auto denoised = denoise(model, x, sigmaHat, sink);
    sink.report(i, steps, x, denoised, sigmas[i]);
    x = x + toD(x, denoised, sigmaHat) * (sigmas[i + 1] - sigmaHat);
  }
  return x;
}

at::Tensor sampleEulerAncestral(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                                StepSink& sink, const SamplerOptions& options) {
  const int steps = stepCount(sigmas, "euler_ancestral");
  NoiseDraw noise(options, x);
  for (int i = 0; i < steps; ++i) {
    const auto denoised = denoise(model, x, sigmas[i], sink);
    const AncestralStep step = ancestralStep(sigmas[i], sigmas[i + 1], options.eta);
    sink.report(i, steps, x, denoised, sigmas[i]);
    if (options.flavor == SamplerFlavor::ComfyUI && step.down == 0.0) {
      x = denoised;
      continue;
    }
    x = x + toD(x, denoised, sigmas[i]) * (step.down - sigmas[i]);
    if (sigmas[i + 1] > 0) x = x + noise(sigmas[i], sigmas[i + 1]) * (options.sNoise * step.up);
  }
  return x;
}

at::Tensor sampleHeun(const Denoiser& model, at::Tensor x, const Sigmas& sigmas, StepSink& sink,
                      const SamplerOptions& options) {
  const int steps = stepCount(sigmas, "heun");
  NoiseDraw noise(options, x);
  for (int i = 0; i < steps; ++i) {
    const double sigmaHat = applyChurn(x, sigmas, i, options, noise);
    const auto denoised = denoise(model, x, sigmaHat, sink);
    sink.report(i, steps, x, denoised, sigmas[i]);
    const auto d = toD(x, denoised, sigmaHat);
    const double dt = sigmas[i + 1] - sigmaHat;
    if (sigmas[i + 1] == 0.0) {
      x = x + d * dt;  // Euler: the derivative at sigma 0 is undefined
    } else {
      const auto x2 = x + d * dt;
      const auto d2 = toD(x2, denoise(model, x2, sigmas[i + 1], sink), sigmas[i + 1]);
      x = x + (d + d2) / 2 * dt;
    }
  }
  return x;
}

at::Tensor sampleDpm2(const Denoiser& model, at::Tensor x, const Sigmas& sigmas, StepSink& sink,
                      const SamplerOptions& options) {
  const int steps = stepCount(sigmas, "dpm_2");
  NoiseDraw noise(options, x);
  for (int i = 0; i < steps; ++i) {
    const double sigmaHat = applyChurn(x, sigmas, i, options, noise);
    const auto denoised = denoise(model, x, sigmaHat, sink);
    sink.report(i, steps, x, denoised, sigmas[i]);
    const auto d = toD(x, denoised, sigmaHat);
    if (sigmas[i + 1] == 0.0) {
      x = x + d * (sigmas[i + 1] - sigmaHat);
    } else {
      const double sigmaMid = logMidpoint(sigmaHat, sigmas[i + 1]);
      const auto x2 = x + d * (sigmaMid - sigmaHat);
      const auto d2 = toD(x2, denoise(model, x2, sigmaMid, sink), sigmaMid);
      x = x + d2 * (sigmas[i + 1] - sigmaHat);
    }
  }
  return x;
}

at::Tensor sampleDpm2Ancestral(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                               StepSink& sink, const SamplerOptions& options) {
  const int steps = stepCount(sigmas, "dpm_2_ancestral");
  NoiseDraw noise(options, x);
  for (int i = 0; i < steps; ++i) {
    const auto denoised = denoise(model, x, sigmas[i], sink);
    const AncestralStep step = ancestralStep(sigmas[i], sigmas[i + 1], options.eta);
    sink.report(i, steps, x, denoised, sigmas[i]);
    const auto d = toD(x, denoised, sigmas[i]);
    if (step.down == 0.0) {
      x = x + d * (step.down - sigmas[i]);
    } else {
      const double sigmaMid = logMidpoint(sigmas[i], step.down);
      const auto x2 = x + d * (sigmaMid - sigmas[i]);
      const auto d2 = toD(x2, denoise(model, x2, sigmaMid, sink), sigmaMid);
      x = x + d2 * (step.down - sigmas[i]);
      x = x + noise(sigmas[i], sigmas[i + 1]) * (options.sNoise * step.up);
    }
  }
  return x;
}

at::Tensor sampleDdim(const Denoiser& model, at::Tensor x, const Sigmas& sigmas, StepSink& sink,
                      const SamplerOptions& options) {
  SamplerOptions deterministic = options;
  deterministic.sChurn = 0.0;
  return sampleEuler(model, std::move(x), sigmas, sink, deterministic);
}

at::Tensor sampleLcm(const Denoiser& model, at::Tensor x, const Sigmas& sigmas, StepSink& sink,
                     const SamplerOptions& options) {
  const int steps = stepCount(sigmas, "lcm");
  NoiseDraw noise(options, x);
  for (int i = 0; i < steps; ++i) {
    const auto denoised = denoise(model, x, sigmas[i], sink);
    sink.report(i, steps, x, denoised, sigmas[i]);
    x = denoised;
    if (sigmas[i + 1] > 0) {
      auto fresh = noise(sigmas[i], sigmas[i + 1]);
      if (options.sNoise != 1.0) fresh = fresh * options.sNoise;
      x = x + fresh * sigmas[i + 1];  // eps-model noise scaling: latent + sigma · noise
    }
  }
  return x;
}

}  // namespace celerity
