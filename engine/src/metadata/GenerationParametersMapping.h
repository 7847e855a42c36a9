#pragma once
// GenerationParameters ↔ infotext. Writing builds A1111's `generation_params` dict in
// `create_infotext` order (the txt2img hires keys in `StableDiffusionProcessingTxt2Img.init`
// order, then LoRA/TI hashes, Emphasis, the `extra` pairs, Version, User). Numbers are written
// the way the A1111 web UI writes them: a whole number as an int ("CFG scale: 7"), others as
// Python floats ("7.5"). Reading maps A1111's parse back; keys it does not know go to `extra`.

#include <string>

#include "celerity/GenerationParameters.h"
#include "metadata/InfotextParser.h"
#include "metadata/InfotextWriter.h"

namespace celerity {

InfotextFields toInfotextFields(const GenerationParameters& parameters);

// The PNG "parameters" text.
std::string toInfotext(const GenerationParameters& parameters);

// Keys that `parse_generation_parameters` filled in as defaults are not copied into `extra`;
// "Hypernet"/"Hypernet strength" (already appended to the prompt by the parse) and the old
// "First pass size" (already turned into Size / Hires resize) are dropped.
GenerationParameters fromParsedInfotext(const ParsedInfotext& parsed);

// Never throws: text that is not an infotext gives a prompt and defaults.
GenerationParameters fromInfotext(const std::string& text,
                                  const InfotextParseOptions& options = {});

}  // namespace celerity
