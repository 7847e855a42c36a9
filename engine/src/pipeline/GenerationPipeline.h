#pragma once
// One loaded model's generation jobs — txt2img, img2img, inpainting, hires fix — as named
// stages:
//   text.encode → (image.load → vae.encode) → sample.step × n → (hires.upscale →
//   sample.step × n) → vae.decode → (inpaint.paste)
// with each batch's noise from per-image CPU generators (seed + i). Keep one pipeline per
// loaded model: its text conditioner caches encodings across jobs. Not thread-safe: run it
// on the engine thread.
#include <memory>

#include "celerity/Request.h"
#include "conditioning/TextConditioner.h"
#include "pipeline/GeneratedImage.h"
#include "pipeline/LoadedModel.h"
#include "pipeline/StageObserver.h"

namespace celerity {

class ClipTokenizer;

class GenerationPipeline {
 public:
  GenerationPipeline(std::shared_ptr<LoadedModel> model, std::shared_ptr<const ClipTokenizer> tokenizer);

  // Validates the request, then runs every batch. Throws CelerityError: InvalidArgument for
  // a bad request, Cancelled when the control's token is set (checked before every model
  // evaluation, between batches and before decoding).
  GenerationResult run(const Request& request, const JobControl& control = {});

  LoadedModel& model() { return *model_; }
  const TextConditioner& conditioner() const { return conditioner_; }
  TextConditioner& conditioner() { return conditioner_; }

  // −1 → a random seed in [0, 2³² − 2] (A1111's range); others unchanged.
  static std::int64_t resolveSeed(std::int64_t seed);

 private:
  struct Batch;
  at::Tensor sampleBatch(const Request& request, const Batch& batch, const JobControl& control);
  at::Tensor hiresPass(const Request& request, const Batch& batch, at::Tensor latent, const JobControl& control);

  std::shared_ptr<LoadedModel> model_;
  TextConditioner conditioner_;
};

}  // namespace celerity
