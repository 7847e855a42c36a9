// The A1111 infotext ("parameters" text) parser on hostile text, and its mapping to the
// engine's generation parameters (what "restore parameters from PNG" and --params-from do).
#include <cstdint>
#include <string>

#include "FuzzSupport.h"
#include "celerity/Infotext.h"
#include "celerity/Request.h"
#include "metadata/InfotextParser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  celerity::InfotextParseOptions options;
  options.useOldHiresFixWidthHeight = (data[0] & 1) != 0;
  options.autoBackcompat = (data[0] & 2) == 0;
  if (data[0] & 4) options.infotextStyles = "Ignore";
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  celerity::fuzz::expectOnlyCelerityErrors("infotext", [&] {
    (void)celerity::parseInfotextDetailed(text, options);
    std::string first, second;
    (void)celerity::matchImageSize(text, first, second);
    (void)celerity::findInfotextParams(text);
  });
  celerity::fuzz::expectOnlyCelerityErrors("infotext mapping", [&] {
    const auto parameters = celerity::parametersFromInfotext(text);
    celerity::Request request;
    celerity::applyInfotextParameters(parameters, request);
  });
  return 0;
}
