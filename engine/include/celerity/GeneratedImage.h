#pragma once
// What a generation job hands back: 8-bit RGB pixels on the CPU, the seed that made each
// image and the parameters that reproduce it (the PNG "parameters" text).
#include <cstdint>
#include <string>
#include <vector>

#include "celerity/GenerationParameters.h"

namespace celerity {

struct GeneratedImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;  // row-major, 3 bytes per pixel (R, G, B)
  std::int64_t seed = 0;
  int index = 0;                  // position in the job (batch · batchSize + row)
  GenerationParameters parameters;
  std::string infotext;           // A1111 text of `parameters`
};

struct GenerationResult {
  std::vector<GeneratedImage> images;
  std::int64_t seed = 0;  // the job's first seed (after resolving −1)
  bool stoppedEarly = false;  // "finish current image and stop" ended it before every batch ran
};

}  // namespace celerity
