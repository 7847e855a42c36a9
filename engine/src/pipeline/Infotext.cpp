// celerity/Infotext.h: the public face of metadata/ (parse, write, PNG chunks) and of the
// pipeline's parameters → request mapping, so that front ends include no internal header.
#include "celerity/Infotext.h"

#include "metadata/GenerationParametersMapping.h"
#include "metadata/PngTextChunks.h"
#include "pipeline/JobParameters.h"

namespace celerity {

GenerationParameters parametersFromInfotext(const std::string& text) { return fromInfotext(text); }

std::string infotextFromParameters(const GenerationParameters& parameters) {
  return toInfotext(parameters);
}

std::optional<std::string> readPngInfotext(const std::string& path) {
  return readPngParameters(std::filesystem::path(path));
}

void applyInfotextParameters(const GenerationParameters& parameters, Request& request) {
  applyParameters(parameters, request);
}

}  // namespace celerity
