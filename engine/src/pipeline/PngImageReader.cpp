#include "pipeline/PngImageReader.h"

#include <png.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

#include "celerity/Error.h"

namespace celerity {
namespace {

constexpr std::size_t kSignatureBytes = 8;

bool hasPngSignature(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char head[kSignatureBytes] = {};
  in.read(reinterpret_cast<char*>(head), kSignatureBytes);
  return in.gcount() == static_cast<std::streamsize>(kSignatureBytes) &&
         png_sig_cmp(head, 0, kSignatureBytes) == 0;
}

}  // namespace

RgbImage readPngImage(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw CelerityError(ErrorCode::FileNotFound, "no such image file", path.string());
  }
  if (!hasPngSignature(path)) {
    throw CelerityError(ErrorCode::UnsupportedFormat, "not a PNG file (only PNG images are read)",
                        path.string());
  }
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  // Frees libpng's state on every path out.
  std::unique_ptr<png_image, void (*)(png_image*)> guard(&image, [](png_image* p) { png_image_free(p); });
  if (png_image_begin_read_from_file(&image, path.string().c_str()) == 0) {
    throw CelerityError(ErrorCode::MalformedFile, std::string("unreadable PNG: ") + image.message,
                        path.string());
  }
  // RGBA, then the alpha dropped: libpng would otherwise composite onto black.
  image.format = PNG_FORMAT_RGBA;
  std::vector<std::uint8_t> rgba(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, rgba.data(), 0, nullptr) == 0) {
    throw CelerityError(ErrorCode::MalformedFile, std::string("unreadable PNG: ") + image.message,
                        path.string());
  }
  RgbImage result(static_cast<int>(image.width), static_cast<int>(image.height));
  for (std::size_t i = 0, n = result.byteCount() / 3; i < n; ++i) {
    std::memcpy(&result.pixels[3 * i], &rgba[4 * i], 3);
  }
  return result;
}

}  // namespace celerity
