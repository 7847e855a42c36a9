#include "imaging/InpaintMask.h"

#include <cmath>
#include <vector>

#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV
#include <opencv2/imgproc.hpp>
#endif

#include "celerity/Error.h"
#include "imaging/ImageConversion.h"
#include "imaging/Resample.h"

namespace celerity {
namespace {

#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV

// One axis of the blur through cv::GaussianBlur on the 8-bit mask, like A1111.
at::Tensor blurAxisOpenCv(const at::Tensor& bytes, double blur, bool alongX) {
  const int k = maskBlurKernelSize(blur);
  const cv::Size size = alongX ? cv::Size(k, 1) : cv::Size(1, k);
  auto cpu = bytes.to(at::kByte).cpu().contiguous();
  auto out = at::empty_like(cpu);
  const int h = static_cast<int>(cpu.size(2)), w = static_cast<int>(cpu.size(3));
  for (std::int64_t n = 0; n < cpu.size(0); ++n) {
    cv::Mat src(h, w, CV_8UC1, cpu[n][0].data_ptr<std::uint8_t>());
    cv::Mat dst(h, w, CV_8UC1, out[n][0].data_ptr<std::uint8_t>());
    cv::GaussianBlur(src, dst, size, blur);
  }
  return out.to(bytes.options());
}

#endif

// OpenCV's BORDER_REFLECT_101 index mapping (borderInterpolate), for any offset.
[[maybe_unused]] std::int64_t reflect101(std::int64_t p, std::int64_t len) {
  if (len == 1) return 0;
  while (p < 0 || p >= len) {
    if (p < 0) {
      p = -p;
    } else {
      p = 2 * (len - 1) - p;
    }
  }
  return p;
}

// Float Gaussian along the last dimension of [N,1,H,W] bytes-as-floats, rounded to bytes.
[[maybe_unused]] at::Tensor blurLastDimTorch(const at::Tensor& bytes, double blur) {
  const int k = maskBlurKernelSize(blur);
  const int r = k / 2;
  const std::int64_t len = bytes.size(3);
  std::vector<double> kernel(k);
  double total = 0;
  for (int i = 0; i < k; ++i) {
    const double x = i - r;
    kernel[i] = std::exp(-x * x / (2 * blur * blur));
    total += kernel[i];
  }
  for (auto& v : kernel) v /= total;
  std::vector<std::int64_t> index(len + 2 * r);
  for (std::int64_t i = 0; i < len + 2 * r; ++i) index[i] = reflect101(i - r, len);
  const auto opts = bytes.options().dtype(at::kFloat);
  const auto padded =
      bytes.to(at::kFloat).index_select(3, at::tensor(index, at::kLong).to(bytes.device()));
  const auto rows = padded.reshape({-1, 1, len + 2 * r});
  const auto weight = at::tensor(kernel, at::kDouble).to(opts).view({1, 1, k});
  return at::conv1d(rows, weight).reshape(bytes.sizes()).round().clamp(0, 255).to(bytes.dtype());
}

at::Tensor blurAxis(const at::Tensor& bytes, double blur, bool alongX) {
#if defined(CELERITY_WITH_OPENCV) && CELERITY_WITH_OPENCV
  return blurAxisOpenCv(bytes, blur, alongX);
#else
  if (alongX) return blurLastDimTorch(bytes, blur);
  return blurLastDimTorch(bytes.transpose(2, 3), blur).transpose(2, 3).contiguous();
#endif
}

}  // namespace

int maskBlurKernelSize(double blur) { return 2 * static_cast<int>(2.5 * blur + 0.5) + 1; }

at::Tensor binarizeMask(const at::Tensor& mask) {
  checkMask(mask, "binarizeMask");
  return maskToBytes(mask).gt(128).to(mask.dtype());
}

at::Tensor invertMask(const at::Tensor& mask) {
  checkMask(mask, "invertMask");
  return bytesToMask(255.0f - maskToBytes(mask)).to(mask.dtype());
}

at::Tensor blurMask(const at::Tensor& mask, double blurX, double blurY) {
  checkMask(mask, "blurMask");
  if (!(blurX >= 0) || !(blurY >= 0)) {
    throw CelerityError(ErrorCode::InvalidArgument, "mask blur must not be negative",
                        "blurMask");
  }
  auto bytes = maskToBytes(mask);
  if (blurX > 0) bytes = blurAxis(bytes, blurX, true);
  if (blurY > 0) bytes = blurAxis(bytes, blurY, false);
  return bytesToMask(bytes).to(mask.dtype());
}

at::Tensor wholePictureOverlayMask(const at::Tensor& mask) {
  checkMask(mask, "wholePictureOverlayMask");
  return bytesToMask((maskToBytes(mask) * 2.0f).clamp(0, 255)).to(mask.dtype());
}

at::Tensor latentMask(const at::Tensor& mask, std::int64_t latentWidth, std::int64_t latentHeight,
                      bool round) {
  checkMask(mask, "latentMask");
  auto m = bytesToMask(resamplePixels(maskToBytes(mask), latentWidth, latentHeight,
                                      ResampleFilter::Bicubic, std::nullopt, true));
  if (round) m = m.round();  // half to even, like np.around; k/255 is never exactly 0.5
  return m.to(mask.dtype());
}

}  // namespace celerity
