#pragma once
// Knobs shared by the samplers. The defaults are the reference defaults (eta 1, s_noise 1,
// no churn, LMS order 4, DPM++ SDE r = 1/2, midpoint 2M SDE, UniPC bh1).
#include <cstdint>
#include <limits>

#include "sampling/NoiseSource.h"

namespace celerity {

// Where k-diffusion (A1111) and ComfyUI disagree by more than rounding, which one to follow.
// Today that is the last step of LMS (ComfyUI returns the denoised estimate when the next
// sigma is 0; k-diffusion integrates its polynomial down to 0) and, to rounding only, the
// last steps of euler_ancestral and dpmpp_sde.
enum class SamplerFlavor { ComfyUI, KDiffusion };

enum class SdeSolver { Midpoint, Heun };   // dpmpp_2m_sde's second-order correction
enum class UniPcVariant { Bh1, Bh2 };      // UniPC's B(h): h or e^h − 1

struct SamplerOptions {
  double eta = 1.0;        // ancestral / SDE noise amount (0 makes them deterministic)
  double sNoise = 1.0;     // scale of the injected noise
  double sChurn = 0.0;     // Karras churn for euler / heun / dpm_2 (0: off)
  double sTmin = 0.0;
  double sTmax = std::numeric_limits<double>::infinity();
  int lmsOrder = 4;
  double sdeR = 0.5;       // dpmpp_sde's intermediate point, as a fraction of the step in log sigma
  SdeSolver sdeSolver = SdeSolver::Midpoint;
  UniPcVariant uniPcVariant = UniPcVariant::Bh1;
  SamplerFlavor flavor = SamplerFlavor::ComfyUI;
  // Noise for the stochastic samplers; when empty, seededNoise(x, seed) is used.
  NoiseSource noise;
  std::uint64_t seed = 0;
};

}  // namespace celerity
