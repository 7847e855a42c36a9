#pragma once
// Latent resizing: hires fix's "Latent" upscalers (A1111 `shared.latent_upscale_modes`) and
// img2img's "Just resize (latent upscale)". Plain `torch.nn.functional.interpolate` on
// [N,C,h,w] latents (any device, any float dtype), align_corners left at its default.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <ATen/ATen.h>

namespace celerity {

enum class LatentUpscaleMode {
  Latent,                    // bilinear
  LatentAntialiased,         // bilinear, antialias
  LatentBicubic,             // bicubic
  LatentBicubicAntialiased,  // bicubic, antialias
  LatentNearest,             // nearest
  LatentNearestExact,        // nearest-exact
};

// The A1111 names: "Latent", "Latent (antialiased)", "Latent (bicubic)",
// "Latent (bicubic antialiased)", "Latent (nearest)", "Latent (nearest-exact)".
const char* latentUpscaleModeName(LatentUpscaleMode mode);
std::optional<LatentUpscaleMode> latentUpscaleModeFromName(const std::string& name);
const std::vector<LatentUpscaleMode>& latentUpscaleModes();

// Hires fix: `interpolate(samples, size=(targetHeight // factor, targetWidth // factor), ...)`
// with the mode's interpolation and antialias flag. Target sizes are in pixels.
at::Tensor upscaleLatent(const at::Tensor& latent, int targetWidth, int targetHeight,
                         LatentUpscaleMode mode, int factor = 8);

// img2img resize mode 3: the init latent, encoded at the picture's own size, is resized to
// (height // factor, width // factor) with bilinear interpolation (antialias off).
at::Tensor resizeInitLatent(const at::Tensor& latent, int width, int height, int factor = 8);

}  // namespace celerity
