#include "imaging/ImageFiles.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#endif

#include "celerity/Error.h"
#include "imaging/ImageConversion.h"

namespace celerity {
namespace {

std::string readFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw CelerityError(ErrorCode::FileNotFound, "image file does not exist", path);
  }
  if (std::filesystem::is_directory(path, ec)) {
    throw CelerityError(ErrorCode::FileUnreadable, "is a folder, not an image file", path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CelerityError(ErrorCode::FileUnreadable, "cannot open image file", path);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw CelerityError(ErrorCode::FileUnreadable, "cannot read image file", path);
  return bytes;
}

// Decoded 8-bit RGB plus the alpha channel when the file has one.
struct Decoded {
  RgbImage rgb;
  std::vector<std::uint8_t> alpha;  // empty when there is none
};

#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV

Decoded decode(const std::string& bytes, const std::string& where) {
  if (bytes.empty()) throw CelerityError(ErrorCode::MalformedFile, "image file is empty", where);
  const bool jpeg = bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
                    static_cast<unsigned char>(bytes[1]) == 0xD8;
  // JPEG has no alpha: decode as colour so that OpenCV applies the EXIF orientation. Others
  // unchanged, to keep the alpha channel.
  const int flags = jpeg ? cv::IMREAD_COLOR : cv::IMREAD_UNCHANGED;
  const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8UC1,
                    const_cast<char*>(bytes.data()));
  cv::Mat mat;
  try {
    mat = cv::imdecode(raw, flags);
  } catch (const cv::Exception& e) {
    throw CelerityError(ErrorCode::MalformedFile, std::string("cannot decode image: ") + e.what(),
                        where);
  }
  if (mat.empty()) {
    throw CelerityError(ErrorCode::MalformedFile,
                        "cannot decode image (not PNG, JPEG, WebP, BMP or TIFF, or damaged)",
                        where);
  }
  if (mat.depth() == CV_16U) {
    cv::Mat eight;
    mat.convertTo(eight, CV_8U, 1.0 / 257.0);
    mat = eight;
  } else if (mat.depth() != CV_8U) {
    throw CelerityError(ErrorCode::UnsupportedFormat,
                        "only 8- and 16-bit images are supported", where);
  }
  const int channels = mat.channels();
  if (channels < 1 || channels > 4) {
    throw CelerityError(ErrorCode::UnsupportedFormat,
                        "image has " + std::to_string(channels) + " channels", where);
  }
  Decoded out;
  out.rgb = RgbImage(mat.cols, mat.rows);
  const bool hasAlpha = channels == 2 || channels == 4;
  if (hasAlpha) out.alpha.resize(static_cast<std::size_t>(mat.cols) * mat.rows);
  for (int y = 0; y < mat.rows; ++y) {
    const std::uint8_t* row = mat.ptr<std::uint8_t>(y);
    for (int x = 0; x < mat.cols; ++x) {
      const std::uint8_t* px = row + static_cast<std::size_t>(x) * channels;
      std::uint8_t* dst = out.rgb.at(x, y);
      if (channels <= 2) {
        dst[0] = dst[1] = dst[2] = px[0];
      } else {  // OpenCV order is BGR(A)
        dst[0] = px[2];
        dst[1] = px[1];
        dst[2] = px[0];
      }
      if (hasAlpha) out.alpha[static_cast<std::size_t>(y) * mat.cols + x] = px[channels - 1];
    }
  }
  return out;
}

#else

Decoded decode(const std::string&, const std::string& where) {
  throw CelerityError(ErrorCode::UnsupportedFormat,
                      "this build has no image decoder (built without OpenCV)", where);
}

#endif

// PIL's paste blend: (a * (255 - m) + b * m) / 255, rounded the way PIL does it.
std::uint8_t blend255(unsigned background, unsigned color, unsigned alpha) {
  const unsigned t = background * (255 - alpha) + color * alpha + 128;
  return static_cast<std::uint8_t>(((t >> 8) + t) >> 8);
}

}  // namespace

RgbImage decodeImage(const std::string& bytes, const std::string& where,
                     const ImageLoadOptions& options) {
  Decoded decoded = decode(bytes, where);
  if (decoded.alpha.empty() || !options.background) return std::move(decoded.rgb);
  const auto& bg = *options.background;
  RgbImage& image = decoded.rgb;
  for (std::size_t i = 0; i < decoded.alpha.size(); ++i) {
    const unsigned a = decoded.alpha[i];
    for (int c = 0; c < 3; ++c) {
      image.pixels[i * 3 + c] = blend255(bg[c], image.pixels[i * 3 + c], a);
    }
  }
  return std::move(decoded.rgb);
}

at::Tensor decodeMask(const std::string& bytes, const std::string& where) {
  Decoded decoded = decode(bytes, where);
  bool useAlpha = false;
  for (const auto a : decoded.alpha) {
    if (a != 255) {
      useAlpha = true;
      break;
    }
  }
  if (!useAlpha) return maskFromImage(decoded.rgb);
  const auto alpha = at::from_blob(decoded.alpha.data(),
                                   {1, 1, decoded.rgb.height, decoded.rgb.width}, at::kByte);
  return alpha.to(at::kFloat) / 255.0f;
}

RgbImage loadImage(const std::string& path, const ImageLoadOptions& options) {
  return decodeImage(readFile(path), path, options);
}

at::Tensor loadMask(const std::string& path) { return decodeMask(readFile(path), path); }

}  // namespace celerity
