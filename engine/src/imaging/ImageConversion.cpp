#include "imaging/ImageConversion.h"

#include <cstring>

#include "celerity/Error.h"

namespace celerity {
namespace {

// [N,3,H,W] -> [N,H,W,3] uint8 -> images.
std::vector<RgbImage> bytesToImages(const at::Tensor& nchwBytes) {
  const auto hwc = nchwBytes.permute({0, 2, 3, 1}).contiguous().cpu();
  const int n = static_cast<int>(hwc.size(0));
  const int h = static_cast<int>(hwc.size(1));
  const int w = static_cast<int>(hwc.size(2));
  std::vector<RgbImage> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) {
    RgbImage image(w, h);
    std::memcpy(image.pixels.data(), hwc[i].data_ptr<std::uint8_t>(), image.byteCount());
    out.push_back(std::move(image));
  }
  return out;
}

at::Tensor asBatch(const at::Tensor& tensor, std::int64_t channels, const char* where) {
  const auto t = tensor.dim() == 3 ? tensor.unsqueeze(0) : tensor;
  if (t.dim() != 4 || t.size(1) != channels) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "expected a [N," + std::to_string(channels) + ",H,W] tensor, got " +
                            c10::str(tensor.sizes()),
                        where);
  }
  return t;
}

}  // namespace

at::Tensor imageToPixels(const RgbImage& image) {
  image.validate("imageToPixels");
  auto bytes = at::from_blob(const_cast<std::uint8_t*>(image.pixels.data()),
                             {image.height, image.width, 3}, at::kByte);
  return bytes.permute({2, 0, 1}).unsqueeze(0).to(at::kFloat).contiguous();
}

RgbImage pixelsToImage(const at::Tensor& pixels) {
  auto t = pixels.dim() == 3 ? pixels.unsqueeze(0) : pixels;
  if (t.dim() != 4 || t.size(0) != 1 || (t.size(1) != 3 && t.size(1) != 1)) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "expected a [1,3,H,W] or [1,1,H,W] pixel tensor, got " +
                            c10::str(pixels.sizes()),
                        "pixelsToImage");
  }
  if (t.size(1) == 1) t = t.expand({1, 3, t.size(2), t.size(3)});
  return bytesToImages(t.to(at::kFloat).round().clamp(0, 255).to(at::kByte))[0];
}

at::Tensor imageToTensor(const RgbImage& image, const at::TensorOptions& options) {
  image.validate("imageToTensor");
  // `np.array(img).astype(np.float32) / 255.0`, then `.to(device, dtype_vae)`, `* 2 - 1`.
  const auto unit = (imageToPixels(image) / 255.0f).to(options);
  return unit * 2 - 1;
}

at::Tensor imagesToTensor(const std::vector<RgbImage>& images, const at::TensorOptions& options) {
  if (images.empty()) {
    throw CelerityError(ErrorCode::InvalidArgument, "no images", "imagesToTensor");
  }
  std::vector<at::Tensor> parts;
  parts.reserve(images.size());
  for (std::size_t i = 0; i < images.size(); ++i) {
    if (images[i].width != images[0].width || images[i].height != images[0].height) {
      throw CelerityError(ErrorCode::InvalidArgument,
                          "all images of a batch must have one size; image " + std::to_string(i) +
                              " differs",
                          "imagesToTensor");
    }
    parts.push_back(imageToTensor(images[i], at::TensorOptions(at::kFloat)));
  }
  return at::cat(parts, 0).to(options);
}

std::vector<RgbImage> tensorToImages(const at::Tensor& batch, PixelRounding rounding) {
  const auto t = asBatch(batch, 3, "tensorToImages").to(at::kFloat);
  auto scaled = ((t + 1.0f) / 2.0f).clamp(0.0f, 1.0f) * 255.0f;
  // Converting float to uint8 truncates toward zero; the values are not negative here.
  if (rounding == PixelRounding::Round) scaled = scaled.round();
  return bytesToImages(scaled.to(at::kByte));
}

RgbImage tensorToImage(const at::Tensor& tensor, PixelRounding rounding) {
  const auto t = asBatch(tensor, 3, "tensorToImage");
  if (t.size(0) != 1) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "expected one image, got a batch of " + std::to_string(t.size(0)),
                        "tensorToImage");
  }
  return tensorToImages(t, rounding)[0];
}

at::Tensor maskFromImage(const RgbImage& image) {
  image.validate("maskFromImage");
  auto luma = imageToPixels(image).to(at::kLong);
  // PIL's L24: (R*19595 + G*38470 + B*7471 + 0x8000) >> 16.
  auto l = (luma.select(1, 0) * 19595 + luma.select(1, 1) * 38470 + luma.select(1, 2) * 7471 +
            0x8000)
               .div(65536, "floor");
  return l.unsqueeze(1).to(at::kFloat) / 255.0f;
}

RgbImage maskToImage(const at::Tensor& mask) {
  checkMask(mask, "maskToImage");
  return pixelsToImage(maskToBytes(mask.slice(0, 0, 1)));
}

at::Tensor maskToBytes(const at::Tensor& mask) {
  return (mask.to(at::kFloat) * 255.0f).round().clamp(0, 255);
}

at::Tensor bytesToMask(const at::Tensor& bytes) { return bytes.to(at::kFloat) / 255.0f; }

void checkMask(const at::Tensor& mask, const char* where) {
  if (!mask.defined() || mask.dim() != 4 || mask.size(1) != 1 ||
      !at::isFloatingType(mask.scalar_type())) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "expected a float mask [N,1,H,W], got " +
                            (mask.defined() ? c10::str(mask.sizes(), " ", mask.scalar_type())
                                            : std::string("an undefined tensor")),
                        where);
  }
}

}  // namespace celerity
