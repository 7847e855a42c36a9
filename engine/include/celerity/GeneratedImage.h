#pragma once
// What a generation job hands back: 8-bit RGB pixels on the CPU, the seed that made each
// image and the parameters that reproduce it (the PNG "parameters" text).
#include <cstdint>
#include <string>
#include <vector>

#include "celerity/GenerationParameters.h"

namespace celerity {

// One region a detailer tab found and inpainted again (for the studio's mask overlay).
struct DetailedRegion {
  int tab = 0;                    // 0-based detailer tab
  float x1 = 0, y1 = 0, x2 = 0, y2 = 0;  // detector box in image pixels
  float score = 0;
  std::string label;              // the detector's class name ("face", "hand", …)
  // The inpainting mask after ADetailer's mask steps, at the image's size: 0 or 255 per pixel
  // (empty when the tab merged its masks; the merged mask is in the tab's first region).
  std::vector<std::uint8_t> mask;
  bool skipped = false;           // its prompt was [SKIP]
};

struct GeneratedImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;  // row-major, 3 bytes per pixel (R, G, B)
  std::int64_t seed = 0;
  int index = 0;                  // position in the job (batch · batchSize + row)
  GenerationParameters parameters;
  std::string infotext;           // A1111 text of `parameters`
  std::vector<DetailedRegion> detailedRegions;  // what the detailer tabs found, in order
};

struct GenerationResult {
  std::vector<GeneratedImage> images;
  std::int64_t seed = 0;  // the job's first seed (after resolving −1)
  bool stoppedEarly = false;  // "finish current image and stop" ended it before every batch ran
};

}  // namespace celerity
