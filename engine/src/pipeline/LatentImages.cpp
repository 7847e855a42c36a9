#include "pipeline/LatentImages.h"

#include <c10/core/InferenceMode.h>

#include "models/vae/TiledVaeDecode.h"


namespace celerity {

at::Tensor decodeLatents(LoadedModel& model, const at::Tensor& latent, const JobControl& control) {
  c10::InferenceMode guard;
  control.throwIfCancelled(stages::kVaeDecode);
  StageScope stage(control, stages::kVaeDecode);
  const auto decodeInput = latent / model.scaleFactor();
  control.record("decode_input", decodeInput);
  // `vae.tiled`: overlapping tiles bound the decoder's memory (a latent that fits one tile
  // decodes exactly as without tiling).
  const auto decoded = control.switches.tiledVae ? decodeTiled(model.vae(), decodeInput) : model.vae()->decode(decodeInput);
  const auto image = decoded.to(at::kCPU, at::kFloat);
  control.record("image", image);
  if (control.recordsTensors()) control.record("image_01", ((image + 1.0) / 2.0).clamp(0.0, 1.0));
  return image;
}

at::Tensor encodeImages(LoadedModel& model, const at::Tensor& image, const JobControl& control) {
  c10::InferenceMode guard;
  StageScope stage(control, stages::kVaeEncode);
  const auto latent = model.vae()->encodeMean(image) * model.scaleFactor();
  control.record("init_latent", latent);
  return latent;
}

}  // namespace celerity
