#include "pipeline/LatentImages.h"

#include <c10/core/InferenceMode.h>

#include "models/vae/TiledVaeDecode.h"


namespace celerity {

namespace {

bool allFinite(const at::Tensor& t) { return at::isfinite(t).all().item<bool>(); }

at::Tensor decodeWith(Vae& vae, const at::Tensor& latent, bool tiled) {
  return tiled ? decodeTiled(vae, latent) : vae->decode(latent);
}

}  // namespace

at::Tensor decodeLatents(LoadedModel& model, const at::Tensor& latent, const JobControl& control) {
  c10::InferenceMode guard;
  control.throwIfCancelled(stages::kVaeDecode);
  StageScope stage(control, stages::kVaeDecode);
  const auto decodeInput = latent / model.scaleFactor();
  control.record("decode_input", decodeInput);
  // `vae.tiled`: overlapping tiles bound the decoder's memory (a latent that fits one tile
  // decodes exactly as without tiling). `vae.half`: half precision, and fp32 again where it
  // overflowed (SDXL's VAE does in fp16).
  const bool tiled = control.switches.tiledVae;
  at::Tensor decoded;
  if (control.switches.halfVae) {
    decoded = decodeWith(model.halfVae(), decodeInput, tiled).to(at::kFloat);
    if (!allFinite(decoded)) {
      StageScope retry(control, stages::kVaeFp32Retry);
      decoded = decodeWith(model.vae(), decodeInput, tiled);
    }
  } else {
    decoded = decodeWith(model.vae(), decodeInput, tiled);
  }
  const auto image = decoded.to(at::kCPU, at::kFloat);
  control.record("image", image);
  if (control.recordsTensors()) control.record("image_01", ((image + 1.0) / 2.0).clamp(0.0, 1.0));
  return image;
}

at::Tensor encodeImages(LoadedModel& model, const at::Tensor& image, const JobControl& control) {
  c10::InferenceMode guard;
  StageScope stage(control, stages::kVaeEncode);
  at::Tensor mean;
  if (control.switches.halfVae) {
    mean = model.halfVae()->encodeMean(image).to(at::kFloat);
    if (!allFinite(mean)) {
      StageScope retry(control, stages::kVaeFp32Retry);
      mean = model.vae()->encodeMean(image);
    }
  } else {
    mean = model.vae()->encodeMean(image);
  }
  const auto latent = mean * model.scaleFactor();
  control.record("init_latent", latent);
  return latent;
}

}  // namespace celerity
