#pragma once
// Reads the pixels of a PNG file (any bit depth, palette, gray or alpha) as 8-bit RGB through
// libpng's simplified API. Alpha is dropped as PIL's convert("RGB") drops it (no blending).
// This is what img2img and inpainting read their init image and mask from.
#include <filesystem>

#include "imaging/RgbImage.h"

namespace celerity {

// Throws CelerityError naming the path: FileNotFound, UnsupportedFormat (not a PNG),
// MalformedFile (libpng refuses it).
RgbImage readPngImage(const std::filesystem::path& path);

}  // namespace celerity
