#pragma once
// The one request type of a generation job (txt2img, img2img, inpaint, hires fix), as plain
// C++ values so that the UI and the CLI can build it without torch. Names and defaults follow
// AUTOMATIC1111's fields; `validateRequest` checks it before any model work starts.
#include <cstdint>
#include <map>
#include <string>

#include "celerity/DetailerOptions.h"

namespace celerity {

// How an init image of another size is fitted to width × height (A1111 "Resize mode").
enum class ImageResizeMode {
  Invalid = 0,
  JustResize,     // stretch
  CropAndResize,  // fill, then centre-crop
  ResizeAndFill,  // fit, then pad with the stretched border
  LatentUpscale,  // "Just resize (latent upscale)"
};

// What goes under the mask before sampling (A1111 "Masked content").
enum class MaskedContent {
  Invalid = 0,
  Fill,           // the masked area filled with the image's colours, blurred
  Original,       // the init image as it is (the default)
  LatentNoise,    // fresh noise in latent space
  LatentNothing,  // zeros in latent space
};

struct Img2ImgParams {
  std::string initImagePath;       // empty: txt2img
  double denoisingStrength = 0.75;  // 0 keeps the init image, 1 ignores it
  ImageResizeMode resizeMode = ImageResizeMode::JustResize;
};

struct InpaintParams {
  std::string maskPath;  // empty: no inpainting; white = repaint, black = keep
  int maskBlur = 4;      // pixels
  bool onlyMasked = false;          // A1111 "Inpaint area: Only masked"
  int onlyMaskedPadding = 32;       // pixels around the mask's bounding box
  MaskedContent maskedContent = MaskedContent::Original;
  bool invertMask = false;
};

struct HiresParams {
  bool enabled = false;
  double scale = 2.0;
  std::string upscaler = "Latent";  // "Latent", "Latent (nearest)", "Latent (nearest-exact)"
  int steps = 0;                    // second-pass steps; 0 = the first pass's steps
  double denoisingStrength = 0.7;
};

// SDXL size conditioning; 0 means "the image's size" (A1111), for each value separately.
struct SdxlSizeParams {
  int originalWidth = 0;
  int originalHeight = 0;
  int cropTop = 0;
  int cropLeft = 0;
  int targetWidth = 0;
  int targetHeight = 0;
};

struct Request {
  std::string checkpointPath;
  // A standalone VAE file used instead of the checkpoint's own (A1111's "SD VAE"); empty: the
  // checkpoint's. Recorded as "VAE hash" / "VAE" in the infotext.
  std::string vaePath;
  std::string prompt;
  std::string negativePrompt;
  std::int64_t seed = -1;  // -1: a random seed, chosen once per job
  int steps = 20;
  double cfgScale = 7.0;
  std::string sampler = "Euler a";   // A1111 label or ComfyUI name
  std::string scheduler = "normal";  // "normal" = A1111 "Automatic"
  int width = 512;
  int height = 512;
  int batchCount = 1;  // batches run one after the other
  int batchSize = 1;   // images per batch
  int clipSkip = 1;

  Img2ImgParams img2img;
  InpaintParams inpaint;
  HiresParams hires;
  SdxlSizeParams sdxlSize;
  DetailerParams detailer;  // ADetailer tabs run on every finished image

  std::string outputFolder;

  // Optimization toggles chosen for this job (Options.h): id → on/off; others at default.
  std::map<std::string, bool> optimizations;

  // "Stability reference sampling" for SDXL: sgm's LegacyDDPM discretization and sigma
  // table, initial noise · √(1 + σ₀²), integer timesteps, and a zero unconditional branch
  // whatever the negative prompt (sgm's do_sample with force_uc_zero_embeddings).
  bool sdxlReferenceSampling = false;

  bool isImg2Img() const { return !img2img.initImagePath.empty(); }
  bool isInpaint() const { return !inpaint.maskPath.empty(); }
  int imageCount() const { return batchCount * batchSize; }
};

// Throws CelerityError(InvalidArgument) naming the offending field in `where` (e.g.
// "Request.width"): sizes not positive multiples of 8, steps < 1, unknown sampler or
// scheduler, strengths outside [0, 1], a mask without an init image, and so on.
void validateRequest(const Request& request);

const char* maskedContentName(MaskedContent content);

}  // namespace celerity
