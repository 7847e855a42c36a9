#pragma once
// A1111 PNG metadata ("parameters" text, the infotext) for front ends: read it from a PNG,
// parse it as A1111 1.10 does, and fill a Request from it (the studio's drag-and-drop and
// the CLI's `--params-from`). Plain C++; the engine's metadata and pipeline code does the work.
#include <optional>
#include <string>

#include "celerity/GenerationParameters.h"
#include "celerity/Request.h"

namespace celerity {

// Never throws: text that is not an infotext gives a prompt and A1111's defaults.
GenerationParameters parametersFromInfotext(const std::string& text);

// The PNG "parameters" text of `parameters`, as the engine writes it.
std::string infotextFromParameters(const GenerationParameters& parameters);

// The "parameters" text chunk (tEXt, zTXt or iTXt) of a PNG file, if it has one. Throws
// CelerityError (FileNotFound, MalformedFile) naming the path.
std::optional<std::string> readPngInfotext(const std::string& path);

// Sets the request fields the parameters name (prompts, steps, sampler, schedule, CFG, seed,
// size, clip skip, denoising strength, hires fix, ADetailer's tabs); every other field keeps
// its value.
void applyInfotextParameters(const GenerationParameters& parameters, Request& request);

}  // namespace celerity
