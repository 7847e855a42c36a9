// PNG files from strangers: the chunk walk and the tEXt / zTXt / iTXt reader (libpng) that
// finds their "parameters" text, then the infotext parser on what it found.
#include <cstdint>

#include "FuzzSupport.h"
#include "celerity/Infotext.h"
#include "metadata/PngTextChunks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  celerity::fuzz::MemoryFile file(data, size);
  celerity::fuzz::expectOnlyCelerityErrors("png chunks", [&] {
    for (const auto& chunk : celerity::listPngChunks(file.path())) {
      celerity::fuzz::check(chunk.type.size() == 4, "chunk type is not 4 bytes");
      celerity::fuzz::check(chunk.length <= size, "chunk longer than the file");
    }
  });
  celerity::fuzz::expectOnlyCelerityErrors("png text", [&] {
    (void)celerity::readPngTextChunks(file.path());
    if (const auto text = celerity::readPngInfotext(file.path())) {
      (void)celerity::parametersFromInfotext(*text);
    }
  });
  return 0;
}
