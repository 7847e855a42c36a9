#include "metadata/InfotextWriter.h"

namespace celerity {

const std::vector<std::string> kInfotextFixedKeys = {
    "Steps",
    "Sampler",
    "Schedule type",
    "CFG scale",
    "Image CFG scale",
    "Seed",
    "Face restoration",
    "Size",
    "Model hash",
    "Model",
    "FP8 weight",
    "Cache FP16 weight for LoRA",
    "VAE hash",
    "VAE",
    "Variation seed",
    "Variation seed strength",
    "Seed resize from",
    "Denoising strength",
    "Conditional mask weight",
    "Clip skip",
    "ENSD",
    "Token merging ratio",
    "Token merging ratio hr",
    "Init image hash",
    "RNG",
    "Tiling",
};

std::string writeInfotextParams(const pyfmt::PyDict& params) {
  std::string out;
  for (const auto& [key, value] : params.items()) {
    if (pyfmt::isNone(value)) continue;
    if (!out.empty()) out += ", ";
    // `k if k == v`: only a str can equal the (str) key.
    const auto* text = std::get_if<std::string>(&value);
    if (text && *text == key) {
      out += key;
    } else {
      out += key + ": " + pyfmt::str(pyfmt::quote(value));
    }
  }
  return out;
}

std::string writeInfotext(const InfotextFields& fields) {
  std::string text = fields.prompt;
  if (!fields.negativePrompt.empty()) text += "\nNegative prompt: " + fields.negativePrompt;
  text += "\n" + writeInfotextParams(fields.params);
  return pyfmt::strip(text);
}

}  // namespace celerity
