#include "ImageConversions.h"

#include <cstring>
#include <string>

#include "celerity/Error.h"

namespace celerity::ui {

QImage ImageConversions::fromRgb(int width, int height, const std::vector<std::uint8_t>& rgb,
                                 const char* what) {
  if (width < 0 || height < 0) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "negative image size " + std::to_string(width) + "×" + std::to_string(height),
                        what);
  }
  const std::size_t expected = static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3U;
  if (rgb.size() != expected) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "RGB buffer holds " + std::to_string(rgb.size()) + " bytes, " +
                            std::to_string(width) + "×" + std::to_string(height) + "×3 needs " +
                            std::to_string(expected),
                        what);
  }
  if (width == 0 || height == 0) return {};
  // QImage rows are 32-bit aligned, the engine's are packed: copy row by row.
  QImage image(width, height, QImage::Format_RGB888);
  const std::size_t rowBytes = static_cast<std::size_t>(width) * 3U;
  for (int y = 0; y < height; ++y) {
    std::memcpy(image.scanLine(y), rgb.data() + static_cast<std::size_t>(y) * rowBytes, rowBytes);
  }
  return image;
}

QImage ImageConversions::toQImage(const GeneratedImage& image) {
  return fromRgb(image.width, image.height, image.rgb, "GeneratedImage.rgb");
}

QImage ImageConversions::toQImage(const PreviewEvent& preview) {
  return fromRgb(preview.width, preview.height, preview.rgb, "PreviewEvent.rgb");
}

}  // namespace celerity::ui
