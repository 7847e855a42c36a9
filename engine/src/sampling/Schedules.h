#pragma once
// Sigma schedules: pure functions of (the model's sigma table, number of steps). Each
// returns the noise levels a sampler walks, descending, ending in 0 — N + 1 values for N
// steps, except where the reference differs (ddim_uniform for step counts that do not divide
// the table, beta when rounding merges timesteps). Formulas and float32 rounding follow
// k-diffusion (get_sigmas_*, DiscreteSchedule.get_sigmas), ComfyUI (comfy/samplers.py
// schedulers) and Stability sgm (LegacyDDPMDiscretization).
#include "sampling/Denoiser.h"
#include "sampling/DiscreteSchedule.h"

namespace celerity {

// Karras et al. (2022): (max^(1/rho) + ramp · (min^(1/rho) − max^(1/rho)))^rho, then 0.
Sigmas karrasSigmas(int steps, double sigmaMin, double sigmaMax, double rho = 7.0);
// Evenly spaced in log sigma from sigmaMax to sigmaMin, then 0.
Sigmas exponentialSigmas(int steps, double sigmaMin, double sigmaMax);
// A polynomial ramp^rho in log sigma (rho 1 is exponential), then 0.
Sigmas polyexponentialSigmas(int steps, double sigmaMin, double sigmaMax, double rho = 1.0);
// tan of evenly spaced atan(sigma) (A1111 PR #15608, ComfyUI kl_optimal), then 0.
Sigmas klOptimalSigmas(int steps, double sigmaMin, double sigmaMax);

// Timesteps linspace(t(sigmaMax), t(sigmaMin), steps) mapped through the table, then 0:
// ComfyUI "normal", k-diffusion DiscreteSchedule.get_sigmas (A1111 "Automatic"/"Uniform").
Sigmas normalSigmas(const DiscreteSchedule& model, int steps);
// linspace(t(sigmaMax), t(sigmaMin), steps + 1) without its last value, then 0.
Sigmas sgmUniformSigmas(const DiscreteSchedule& model, int steps);
// Every (T / steps)-th table entry from the top (ComfyUI "simple"), then 0.
Sigmas simpleSigmas(const DiscreteSchedule& model, int steps);
// Table entries 1, 1 + T/steps, … reversed, after a leading 0 (ComfyUI "ddim_uniform").
Sigmas ddimUniformSigmas(const DiscreteSchedule& model, int steps);
// Timesteps rint(beta.ppf(1 − i/steps, alpha, beta) · (T − 1)), repeats merged, then 0
// (ComfyUI "beta", arXiv 2407.12173).
Sigmas betaSigmas(const DiscreteSchedule& model, int steps, double alpha = 0.6, double beta = 0.6);
// Mochi's linear-then-quadratic schedule scaled by sigmaMax (meant for flow models).
Sigmas linearQuadraticSigmas(const DiscreteSchedule& model, int steps,
                             double thresholdNoise = 0.025, int linearSteps = -1);
// Stability sgm LegacyDDPMDiscretization (SDXL reference scripts): integer timesteps
// int(linspace(T−1, 0, steps, endpoint=False)), descending, their table sigmas, then 0.
// The last model call is at t = int((T−1)/steps), not at t = 0. Bit-exact with sgm on a
// SigmaTableFlavor::Sgm table.
Sigmas legacyDdpmSigmas(const DiscreteSchedule& model, int steps);

}  // namespace celerity
