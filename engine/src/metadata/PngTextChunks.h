#pragma once
// PNG files with text metadata, through libpng. The "parameters" text is stored the way A1111
// (Pillow's `PngInfo.add_text`) stores it: an uncompressed tEXt chunk when the text is
// latin-1 encodable, else an uncompressed iTXt chunk (UTF-8, empty language tag and
// translated keyword), before IDAT. Files are written atomically: a temporary file in the
// same folder, renamed over the target once complete.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace celerity {

// One chunk of a PNG file as listed from its headers.
struct PngChunkInfo {
  std::string type;          // "IHDR", "tEXt", ...
  std::uint32_t length = 0;  // data length in bytes
  std::string keyword;       // tEXt / zTXt / iTXt keyword (latin-1 bytes); else empty
};

// True when every character of the UTF-8 text is in U+0000..U+00FF (invalid UTF-8: false).
bool isLatin1Encodable(const std::string& utf8);

// Writes an 8-bit RGB image (`rgb` holds width·height·3 bytes, rows top to bottom) with the
// given text chunks, in order. Empty texts are left out. Throws CelerityError naming the path:
// FileNotFound when the folder does not exist, InvalidArgument for a bad size or keyword,
// Internal when the file cannot be written. Text stops at its first NUL (PNG text has none).
void writePngWithText(const std::filesystem::path& path, const std::vector<std::uint8_t>& rgb,
                      int width, int height,
                      const std::vector<std::pair<std::string, std::string>>& texts);

// The same with one "parameters" text (the A1111 infotext).
void writePngWithParameters(const std::filesystem::path& path, const std::vector<std::uint8_t>& rgb,
                            int width, int height, const std::string& parametersText);

// keyword → text (UTF-8) of every tEXt, zTXt and iTXt chunk, before and after the image data;
// a later chunk with the same keyword wins (as in Pillow's `info`). Throws CelerityError
// (FileNotFound, MalformedFile) naming the path.
std::map<std::string, std::string> readPngTextChunks(const std::filesystem::path& path);

// The "parameters" text, if the file has one.
std::optional<std::string> readPngParameters(const std::filesystem::path& path);

// The chunk list read from the chunk headers only (no decoding, no CRC check), up to IEND;
// a file that ends before IEND is MalformedFile.
std::vector<PngChunkInfo> listPngChunks(const std::filesystem::path& path);

}  // namespace celerity
