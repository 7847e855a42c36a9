#pragma once
// The engine's 8-bit RGB buffers as QImages. Always a deep copy: the engine's vectors live in
// events that are gone once the slot returns.
#include <QImage>
#include <cstdint>
#include <vector>

#include "celerity/Events.h"
#include "celerity/GeneratedImage.h"

namespace celerity::ui {

class ImageConversions {
 public:
  // Row-major RGB, 3 bytes per pixel. Throws CelerityError(InvalidArgument, where `what`)
  // when the buffer does not hold width × height × 3 bytes; a 0×0 image gives a null QImage.
  static QImage fromRgb(int width, int height, const std::vector<std::uint8_t>& rgb,
                        const char* what = "rgb");
  static QImage toQImage(const GeneratedImage& image);
  static QImage toQImage(const PreviewEvent& preview);
};

}  // namespace celerity::ui
