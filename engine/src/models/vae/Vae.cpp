#include "models/vae/Vae.h"

#include <c10/core/InferenceMode.h>

#include <cmath>

#include "celerity/Error.h"

namespace celerity {
namespace {

// ldm DiagonalGaussianDistribution bounds.
constexpr double kLogvarMin = -30.0;
constexpr double kLogvarMax = 20.0;

std::string shapeText(at::IntArrayRef shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

}  // namespace

VaeImpl::VaeImpl(const VaeConfig& config, const at::TensorOptions& options)
    : config_(config), options_(options) {
  if (!config.hasEncoder && !config.hasDecoder) {
    throw CelerityError(ErrorCode::InvalidArgument, "VAE without encoder and decoder", "VaeConfig");
  }
  if (config.levels() < 1 || config.numResBlocks < 1 || config.ch < 1) {
    throw CelerityError(ErrorCode::InvalidArgument, "VAE config has no levels or blocks",
                        "VaeConfig");
  }
  // Registration order follows ldm's AutoencoderKL, so namedTensors() lists the state dict
  // in checkpoint order.
  if (config.hasEncoder) {
    encoder = register_module("encoder", VaeEncoder(config, options));
  }
  if (config.hasDecoder) {
    decoder = register_module("decoder", VaeDecoder(config, options));
  }
  if (config.hasEncoder) {
    quantConv = register_module(
        "quant_conv", layers::Conv2d(2 * config.zChannels, 2 * config.embedDim, 1, 1, 0, options));
  }
  if (config.hasDecoder) {
    postQuantConv = register_module(
        "post_quant_conv", layers::Conv2d(config.embedDim, config.zChannels, 1, 1, 0, options));
  }
}

at::Tensor VaeImpl::prepare(const at::Tensor& x, std::int64_t channels, const char* where) const {
  if (!x.defined() || x.dim() != 4 || x.size(1) != channels || x.size(2) < 1 || x.size(3) < 1) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "expected a [batch, " + std::to_string(channels) +
                            ", height, width] tensor, got " +
                            (x.defined() ? shapeText(x.sizes()) : std::string("none")),
                        where);
  }
  return x.to(options_.device(), options_.dtype());
}

at::Tensor VaeImpl::encodeMoments(const at::Tensor& image) {
  if (!encoder) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "this VAE has no encoder (decoder-only weights)", "VAE encode");
  }
  c10::InferenceMode guard;
  return quantConv(encoder(prepare(image, config_.inChannels, "VAE encode input")));
}

VaeMoments VaeImpl::splitMoments(const at::Tensor& moments) {
  c10::InferenceMode guard;
  auto halves = moments.chunk(2, 1);
  return {halves[0], at::clamp(halves[1], kLogvarMin, kLogvarMax)};
}

VaeMoments VaeImpl::encodeDistribution(const at::Tensor& image) {
  return splitMoments(encodeMoments(image));
}

at::Tensor VaeImpl::encodeMean(const at::Tensor& image) {
  c10::InferenceMode guard;
  return encodeMoments(image).narrow(1, 0, config_.embedDim).contiguous();
}

at::Tensor VaeImpl::decode(const at::Tensor& z) {
  if (!decoder) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "this VAE has no decoder (encoder-only weights)", "VAE decode");
  }
  c10::InferenceMode guard;
  return decoder(postQuantConv(prepare(z, config_.embedDim, "VAE decode input")));
}

at::Tensor VaeImpl::latentToImage(const at::Tensor& latent) {
  c10::InferenceMode guard;
  return decode(latent / config_.scaleFactor);
}

at::Tensor VaeImpl::imageToLatent(const at::Tensor& image) {
  c10::InferenceMode guard;
  return encodeMean(image) * config_.scaleFactor;
}

void VaeImpl::setScaleFactor(double scaleFactor) {
  if (!(std::isfinite(scaleFactor) && scaleFactor > 0)) {
    throw CelerityError(
        ErrorCode::InvalidArgument,
        "VAE scale factor must be a positive number, got " + std::to_string(scaleFactor),
        "VaeConfig.scaleFactor");
  }
  config_.scaleFactor = scaleFactor;
}

}  // namespace celerity
