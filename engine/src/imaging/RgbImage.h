#pragma once
// An 8-bit RGB picture held by value: what img2img takes in and what the VAE decode gives back.
// Pixels are interleaved R, G, B, row after row, top row first (PIL's and PNG's layout).
#include <cstdint>
#include <string>
#include <vector>

namespace celerity {

struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // 3 * width * height bytes

  RgbImage() = default;
  // A black picture of the given size.
  RgbImage(int width, int height);
  static RgbImage filled(int width, int height, std::uint8_t r, std::uint8_t g, std::uint8_t b);

  bool empty() const { return width <= 0 || height <= 0; }
  std::size_t byteCount() const { return static_cast<std::size_t>(width) * height * 3; }

  // The first of the three bytes of pixel (x, y); no bounds check.
  std::uint8_t* at(int x, int y) {
    return pixels.data() + (static_cast<std::size_t>(y) * width + x) * 3;
  }
  const std::uint8_t* at(int x, int y) const {
    return pixels.data() + (static_cast<std::size_t>(y) * width + x) * 3;
  }

  // Throws CelerityError(InvalidArgument) naming `where` when the size and the bytes disagree.
  void validate(const std::string& where) const;

  bool operator==(const RgbImage& other) const {
    return width == other.width && height == other.height && pixels == other.pixels;
  }
  bool operator!=(const RgbImage& other) const { return !(*this == other); }
};

}  // namespace celerity
