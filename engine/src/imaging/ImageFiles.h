#pragma once
// Reading init images and masks from files (PNG, JPEG, WebP, BMP, TIFF: what OpenCV decodes).
// Saving is the metadata library's job (it writes the PNG text chunks).
//
// Needs CELERITY_WITH_OPENCV; without it every function throws
// CelerityError(UnsupportedFormat). Errors name the file: FileNotFound, FileUnreadable,
// MalformedFile (bytes that do not decode), UnsupportedFormat (e.g. float pixels).
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include <ATen/ATen.h>

#include "imaging/RgbImage.h"

namespace celerity {

struct ImageLoadOptions {
  // A1111 `images.flatten(img, opts.img2img_background_color)`: transparent pixels are
  // composited onto this colour (default white, A1111's default). nullopt drops the alpha
  // channel and keeps the colour stored under it.
  std::optional<std::array<std::uint8_t, 3>> background =
      std::array<std::uint8_t, 3>{255, 255, 255};
};

// An 8-bit RGB picture. JPEG EXIF orientation is applied (A1111 `ImageOps.exif_transpose`);
// 16-bit samples are scaled to 8 bits; gray pictures become gray RGB.
RgbImage loadImage(const std::string& path, const ImageLoadOptions& options = {});

// A mask [1,1,H,W] in [0,1] as A1111 `create_binary_mask` reads it, before its rounding: the
// alpha channel when the picture has one that is not fully opaque, else the luminance (PIL
// `convert('L')`). Binarize with InpaintMask.h `binarizeMask` (A1111 `mask_round`).
at::Tensor loadMask(const std::string& path);

// Same rules from decoded bytes of a file (e.g. a mask painted in the UI and PNG-encoded).
RgbImage decodeImage(const std::string& bytes, const std::string& where,
                     const ImageLoadOptions& options = {});
at::Tensor decodeMask(const std::string& bytes, const std::string& where);

}  // namespace celerity
