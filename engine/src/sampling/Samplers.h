#pragma once
// The samplers, as pure functions over a denoiser: (D, x at sigmas[0], sigmas, sink,
// options) → x at sigmas.back(). They follow k-diffusion's sampling.py and ComfyUI's
// comfy/k_diffusion/sampling.py for eps-prediction (non-flow) models; the scalar maths is done
// in double, tensor maths in x's dtype. Stochastic samplers draw from options.noise (or a
// seeded default). Every function throws CelerityError(Cancelled) from the sink's token and
// CelerityError(InvalidArgument) on an empty sigma list.
#include <ATen/core/Tensor.h>

#include "sampling/Denoiser.h"
#include "sampling/SamplerOptions.h"
#include "sampling/StepSink.h"

namespace celerity {

// Euler / Heun / DPM2 family (SamplersEuler.cpp).
at::Tensor sampleEuler(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                       StepSink& sink, const SamplerOptions& options = {});
at::Tensor sampleEulerAncestral(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                                StepSink& sink, const SamplerOptions& options = {});
at::Tensor sampleHeun(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                      StepSink& sink, const SamplerOptions& options = {});
at::Tensor sampleDpm2(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                      StepSink& sink, const SamplerOptions& options = {});
at::Tensor sampleDpm2Ancestral(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                               StepSink& sink, const SamplerOptions& options = {});
// ComfyUI's "ddim": on k-diffusion sigmas, deterministic DDIM (eta 0) is the Euler step.
at::Tensor sampleDdim(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                      StepSink& sink, const SamplerOptions& options = {});
// Latent consistency: x = D(x), renoised to the next sigma with fresh noise.
at::Tensor sampleLcm(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                     StepSink& sink, const SamplerOptions& options = {});

// Linear multistep (SamplersLms.cpp); options.flavor picks the last step.
at::Tensor sampleLms(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                     StepSink& sink, const SamplerOptions& options = {});

// DPM-Solver++ family (SamplersDpmpp.cpp).
at::Tensor sampleDpmpp2sAncestral(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                                  StepSink& sink, const SamplerOptions& options = {});
at::Tensor sampleDpmppSde(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                          StepSink& sink, const SamplerOptions& options = {});
at::Tensor sampleDpmpp2m(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                         StepSink& sink, const SamplerOptions& options = {});
at::Tensor sampleDpmpp2mSde(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                            StepSink& sink, const SamplerOptions& options = {});
at::Tensor sampleDpmpp3mSde(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                            StepSink& sink, const SamplerOptions& options = {});

// UniPC, ComfyUI's sigma-space formulation (SamplerUniPc.cpp); options.uniPcVariant picks
// bh1 ("uni_pc") or bh2 ("uni_pc_bh2"). A final sigma of 0 is replaced by 0.001.
at::Tensor sampleUniPc(const Denoiser& model, at::Tensor x, const Sigmas& sigmas,
                       StepSink& sink, const SamplerOptions& options = {});

}  // namespace celerity
