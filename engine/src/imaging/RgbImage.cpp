#include "imaging/RgbImage.h"

#include "celerity/Error.h"

namespace celerity {

RgbImage::RgbImage(int w, int h) : width(w), height(h) {
  if (w < 0 || h < 0) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "image size must not be negative: " + std::to_string(w) + "x" +
                            std::to_string(h),
                        "RgbImage");
  }
  pixels.assign(byteCount(), 0);
}

RgbImage RgbImage::filled(int w, int h, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  RgbImage image(w, h);
  for (std::size_t i = 0; i < image.pixels.size(); i += 3) {
    image.pixels[i] = r;
    image.pixels[i + 1] = g;
    image.pixels[i + 2] = b;
  }
  return image;
}

void RgbImage::validate(const std::string& where) const {
  if (width <= 0 || height <= 0) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "image is empty (" + std::to_string(width) + "x" +
                            std::to_string(height) + ")",
                        where);
  }
  if (pixels.size() != byteCount()) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "image of " + std::to_string(width) + "x" + std::to_string(height) +
                            " needs " + std::to_string(byteCount()) + " bytes, has " +
                            std::to_string(pixels.size()),
                        where);
  }
}

}  // namespace celerity
