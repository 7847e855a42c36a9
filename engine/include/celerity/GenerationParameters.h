#pragma once
// What produced an image, as the UI shows it and as the PNG "parameters" text (A1111
// infotext) stores it. Plain C++ so that the UI can hold it. Fields that A1111 leaves out of the
// text when unset are std::optional; `extra` keeps every other `key: value` pair (ADetailer
// keys, extension keys, ...) in order, so that reading and writing back loses nothing.

#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace celerity {

struct ImageSize {
  int width = 0;
  int height = 0;

  bool operator==(const ImageSize& o) const { return width == o.width && height == o.height; }
  bool operator!=(const ImageSize& o) const { return !(*this == o); }
};

// The txt2img "Hires. fix" second pass.
struct HiresParameters {
  double upscale = 2.0;             // "Hires upscale", used when `resize` is unset
  std::optional<ImageSize> resize;  // "Hires resize" WxH (a 0 side keeps the aspect ratio)
  std::string upscaler;             // "Hires upscaler"; empty = not written
  int steps = 0;                    // "Hires steps"; 0 = as many as the first pass
  double denoisingStrength = 0.7;   // written as "Denoising strength"
  std::string sampler;              // "Hires sampler"; empty = same sampler
  std::string scheduler;            // "Hires schedule type"; empty = same schedule
  std::string checkpoint;           // "Hires checkpoint"; empty = same checkpoint
  std::string prompt;               // "Hires prompt"; empty = same prompt
  std::string negativePrompt;       // "Hires negative prompt"; empty = same

  auto tie() const {
    return std::tie(upscale, resize, upscaler, steps, denoisingStrength, sampler, scheduler,
                    checkpoint, prompt, negativePrompt);
  }
  bool operator==(const HiresParameters& o) const { return tie() == o.tie(); }
  bool operator!=(const HiresParameters& o) const { return !(*this == o); }
};

struct GenerationParameters {
  std::string prompt;
  std::string negativePrompt;
  int steps = 20;                       // "Steps"
  std::string sampler = "Euler a";      // "Sampler"
  std::string scheduler = "Automatic";  // "Schedule type"; empty = not written
  double cfgScale = 7.0;                // "CFG scale"
  long long seed = -1;                  // "Seed": the seed actually used
  int width = 512;                      // "Size" WxH
  int height = 512;
  std::optional<std::string> modelHash;          // "Model hash"
  std::optional<std::string> modelName;          // "Model"
  std::optional<std::string> vaeHash;            // "VAE hash"
  std::optional<std::string> vaeName;            // "VAE"
  std::optional<long long> variationSeed;        // "Variation seed"
  std::optional<double> variationStrength;       // "Variation seed strength"; 0 = not written
  std::optional<ImageSize> seedResizeFrom;       // "Seed resize from" WxH
  std::optional<double> denoisingStrength;       // "Denoising strength" of img2img
  int clipSkip = 1;                              // "Clip skip"; written when > 1
  std::optional<long long> ensd;                 // "ENSD" (eta noise seed delta)
  std::optional<double> tokenMergingRatio;       // "Token merging ratio"
  std::optional<double> tokenMergingRatioHires;  // "Token merging ratio hr"
  std::optional<std::string> rng;                // "RNG"; "GPU" (the default) is not written
  std::optional<std::string> faceRestoration;    // "Face restoration" model name
  bool tiling = false;                           // "Tiling: True"
  std::optional<HiresParameters> hires;          // "Hires ..." and "Denoising strength"
  std::optional<std::string> loraHashes;         // "Lora hashes": "alias: hash, ..."
  std::optional<std::string> tiHashes;           // "TI hashes"
  std::optional<std::string> emphasis;           // "Emphasis"; "Original" is not written
  std::optional<std::string> version;            // "Version"
  std::optional<std::string> user;               // "User"
  std::vector<std::pair<std::string, std::string>> extra;  // every other key, in order

  auto tie() const {
    return std::tie(prompt, negativePrompt, steps, sampler, scheduler, cfgScale, seed, width,
                    height, modelHash, modelName, vaeHash, vaeName, variationSeed,
                    variationStrength, seedResizeFrom, denoisingStrength, clipSkip, ensd,
                    tokenMergingRatio, tokenMergingRatioHires, rng, faceRestoration, tiling, hires,
                    loraHashes, tiHashes, emphasis, version, user, extra);
  }
  bool operator==(const GenerationParameters& o) const { return tie() == o.tie(); }
  bool operator!=(const GenerationParameters& o) const { return !(*this == o); }
};

}  // namespace celerity
