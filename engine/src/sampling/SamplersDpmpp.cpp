// DPM-Solver++ samplers (Lu et al. 2022) in half-log-SNR time t = −log sigma, for eps models.
#include <cmath>

#include <ATen/ATen.h>

#include "sampling/SamplerSupport.h"
#include "sampling/Samplers.h"

namespace celerity {

using sampling::AncestralStep;
using sampling::NoiseDraw;
using sampling::ancestralStep;
using sampling::denoise;
using sampling::stepCount;
using sampling::toD;

namespace {

double timeOf(double sigma) { return -std::log(sigma); }
double sigmaOf(double t) { return std::exp(-t); }

}  // namespace

at::Tensor sampleDpmpp2sAncestral(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                                  StepSink& sink, const SamplerOptions& options) {
  const int steps = stepCount(sigmas, "dpmpp_2s_ancestral");
  NoiseDraw noise(options, x);
  for (int i = 0; i < steps; ++i) {
    const auto denoised = denoise(model, x, sigmas[i], sink);
    const AncestralStep step = ancestralStep(sigmas[i], sigmas[i + 1], options.eta);
    sink.report(i, steps, x, denoised, sigmas[i]);
    if (step.down == 0.0) {
      x = x + toD(x, denoised, sigmas[i]) * (step.down - sigmas[i]);
    } else {
      // DPM-Solver++(2S) down to sigma_down, midpoint in log sigma.
      const double t = timeOf(sigmas[i]);
      const double tNext = timeOf(step.down);
      const double h = tNext - t;
      const double s = t + 0.5 * h;
      const auto x2 = x * (sigmaOf(s) / sigmaOf(t)) - denoised * std::expm1(-0.5 * h);
      const auto denoised2 = denoise(model, x2, sigmaOf(s), sink);
      x = x * (sigmaOf(tNext) / sigmaOf(t)) - denoised2 * std::expm1(-h);
    }
    if (sigmas[i + 1] > 0) x = x + noise(sigmas[i], sigmas[i + 1]) * (options.sNoise * step.up);
  }
  return x;
}

at::Tensor sampleDpmppSde(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                          StepSink& sink, const SamplerOptions& options) {
  const int steps = stepCount(sigmas, "dpmpp_sde");
  NoiseDraw noise(options, x);
  const double r = options.sdeR;
  const bool addNoise = options.eta > 0 && options.sNoise > 0;
  for (int i = 0; i < steps; ++i) {
    const auto denoised = denoise(model, x, sigmas[i], sink);
    sink.report(i, steps, x, denoised, sigmas[i]);
    if (sigmas[i + 1] == 0.0) {
      x = options.flavor == SamplerFlavor::ComfyUI
              ? denoised
              : x + toD(x, denoised, sigmas[i]) * (0.0 - sigmas[i]);
      continue;
    }
    const double t = timeOf(sigmas[i]);
    const double tNext = timeOf(sigmas[i + 1]);
    const double h = tNext - t;
    const double s = t + h * r;
    const double fac = 1.0 / (2.0 * r);

    // Step 1: ancestral DPM-Solver++(1) to the intermediate point s.
    AncestralStep step = ancestralStep(sigmaOf(t), sigmaOf(s), options.eta);
    const double sDown = timeOf(step.down);
    auto x2 = x * (sigmaOf(sDown) / sigmaOf(t)) - denoised * std::expm1(t - sDown);
    if (addNoise) x2 = x2 + noise(sigmaOf(t), sigmaOf(s)) * (options.sNoise * step.up);
    const auto denoised2 = denoise(model, x2, sigmaOf(s), sink);

    // Step 2: the full step with the blended estimate.
    step = ancestralStep(sigmaOf(t), sigmaOf(tNext), options.eta);
    const double tNextDown = timeOf(step.down);
    const auto blended = denoised * (1.0 - fac) + denoised2 * fac;
    x = x * (sigmaOf(tNextDown) / sigmaOf(t)) - blended * std::expm1(t - tNextDown);
    if (addNoise) x = x + noise(sigmaOf(t), sigmaOf(tNext)) * (options.sNoise * step.up);
  }
  return x;
}

at::Tensor sampleDpmpp2m(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                         StepSink& sink, const SamplerOptions&) {
  const int steps = stepCount(sigmas, "dpmpp_2m");
  at::Tensor previous;
  for (int i = 0; i < steps; ++i) {
    const auto denoised = denoise(model, x, sigmas[i], sink);
    sink.report(i, steps, x, denoised, sigmas[i]);
    if (sigmas[i + 1] == 0.0) {
      x = denoised;  // the exponential step to sigma 0 lands exactly on D
    } else {
      const double t = timeOf(sigmas[i]);
      const double h = timeOf(sigmas[i + 1]) - t;
      const double ratio = sigmas[i + 1] / sigmas[i];
      if (!previous.defined()) {
        x = x * ratio - denoised * std::expm1(-h);
      } else {
        const double r = (t - timeOf(sigmas[i - 1])) / h;
        const auto corrected = denoised * (1.0 + 1.0 / (2.0 * r)) - previous * (1.0 / (2.0 * r));
        x = x * ratio - corrected * std::expm1(-h);
      }
    }
    previous = denoised;
  }
  return x;
}

at::Tensor sampleDpmpp2mSde(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                            StepSink& sink, const SamplerOptions& options) {
  const int steps = stepCount(sigmas, "dpmpp_2m_sde");
  NoiseDraw noise(options, x);
  const double eta = options.eta;
  at::Tensor previous;
  double hLast = 0.0;
  for (int i = 0; i < steps; ++i) {
    const auto denoised = denoise(model, x, sigmas[i], sink);
    sink.report(i, steps, x, denoised, sigmas[i]);
    if (sigmas[i + 1] == 0.0) {
      x = denoised;
    } else {
      const double h = timeOf(sigmas[i + 1]) - timeOf(sigmas[i]);
      const double etaH = eta * h;
      const double phi = -std::expm1(-h - etaH);
      x = x * (sigmas[i + 1] / sigmas[i] * std::exp(-etaH)) + denoised * phi;
      if (previous.defined()) {
        const double r = hLast / h;
        const double weight = options.sdeSolver == SdeSolver::Heun
                                  ? (phi / (-h - etaH) + 1.0) * (1.0 / r)
                                  : 0.5 * phi * (1.0 / r);
        x = x + (denoised - previous) * weight;
      }
      if (eta > 0 && options.sNoise > 0) {
        x = x + noise(sigmas[i], sigmas[i + 1]) *
                    (sigmas[i + 1] * std::sqrt(-std::expm1(-2.0 * etaH)) * options.sNoise);
      }
      hLast = h;
    }
    previous = denoised;
  }
  return x;
}

at::Tensor sampleDpmpp3mSde(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                            StepSink& sink, const SamplerOptions& options) {
  const int steps = stepCount(sigmas, "dpmpp_3m_sde");
  NoiseDraw noise(options, x);
  const double eta = options.eta;
  at::Tensor denoised1, denoised2;  // the previous two estimates
  double h1 = 0.0, h2 = 0.0;        // and their step sizes (valid when the tensor is)
  for (int i = 0; i < steps; ++i) {
    const auto denoised = denoise(model, x, sigmas[i], sink);
    sink.report(i, steps, x, denoised, sigmas[i]);
    double h = h1;
    if (sigmas[i + 1] == 0.0) {
      x = denoised;
    } else {
      h = timeOf(sigmas[i + 1]) - timeOf(sigmas[i]);
      const double hEta = h * (eta + 1.0);
      x = x * std::exp(-hEta) + denoised * (-std::expm1(-hEta));
      const double phi2 = std::expm1(-hEta) / hEta + 1.0;
      if (denoised2.defined()) {
        const double r0 = h1 / h;
        const double r1 = h2 / h;
        const auto d10 = (denoised - denoised1) / r0;
        const auto d11 = (denoised1 - denoised2) / r1;
        const auto d1 = d10 + (d10 - d11) * (r0 / (r0 + r1));
        const auto d2 = (d10 - d11) / (r0 + r1);
        const double phi3 = phi2 / hEta - 0.5;
        x = x + d1 * phi2 - d2 * phi3;
      } else if (denoised1.defined()) {
        x = x + (denoised - denoised1) / (h1 / h) * phi2;
      }
      if (eta > 0 && options.sNoise > 0) {
        x = x + noise(sigmas[i], sigmas[i + 1]) *
                    (sigmas[i + 1] * std::sqrt(-std::expm1(-2.0 * h * eta)) * options.sNoise);
      }
    }
    denoised2 = denoised1;
    denoised1 = denoised;
    h2 = h1;
    h1 = h;
  }
  return x;
}

}  // namespace celerity
