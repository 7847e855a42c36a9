#include "pipeline/GenerationPipeline.h"

#include <optional>
#include <random>

#include <c10/core/InferenceMode.h>

#include "celerity/Error.h"
#include "imaging/ImageConversion.h"
#include "imaging/LatentUpscale.h"
#include "metadata/GenerationParametersMapping.h"
#include "pipeline/BatchNoise.h"
#include "pipeline/HiresFix.h"
#include "pipeline/Img2Img.h"
#include "pipeline/JobParameters.h"
#include "pipeline/LatentImages.h"
#include "pipeline/PromptConditioning.h"
#include "pipeline/SamplingPlan.h"

namespace celerity {
namespace {

TextConditioner makeConditioner(LoadedModel& model, std::shared_ptr<const ClipTokenizer> tokenizer) {
  if (!tokenizer) throw CelerityError(ErrorCode::InvalidArgument, "no tokenizer", "GenerationPipeline");
  if (model.isSdxl()) {
    return TextConditioner::sdxl(std::move(tokenizer), model.clipL(), model.openClipG(), model.name());
  }
  return TextConditioner::sd1(std::move(tokenizer), model.clipL(), model.name());
}

// The UNet halves the latent (levels − 1) times and needs whole sizes on the way down.
void checkSizes(const Request& request, const LoadedModel& model) {
  const auto multiple = model.sizeMultiple();
  const auto check = [&](const char* field, int side) {
    if (side % multiple != 0) {
      throw CelerityError(ErrorCode::InvalidArgument,
                          std::string(field) + " " + std::to_string(side) + " is not a multiple of " +
                              std::to_string(multiple) + ", which this model needs",
                          std::string("Request.") + field);
    }
  };
  check("width", request.width);
  check("height", request.height);
  if (request.hires.enabled) {
    check("hires.scale (width)", hiresSide(request.width, request.hires.scale));
    check("hires.scale (height)", hiresSide(request.height, request.hires.scale));
  }
}

}  // namespace

// What the batches of a job share, and the seeds of the current one.
struct GenerationPipeline::Batch {
  std::vector<std::uint64_t> seeds;
  SamplingPlan plan;
  DiscreteSchedule table;
  PromptConditioning prompts;
  std::optional<PreparedInit> init;  // img2img / inpainting
  int index = 0;                     // which batch of the job
  int count = 1;
};

GenerationPipeline::GenerationPipeline(std::shared_ptr<LoadedModel> model,
                                       std::shared_ptr<const ClipTokenizer> tokenizer)
    : model_(std::move(model)), conditioner_(makeConditioner(*model_, std::move(tokenizer))) {}

std::int64_t GenerationPipeline::resolveSeed(std::int64_t seed) {
  if (seed != -1) return seed;
  std::random_device device;
  std::uniform_int_distribution<std::int64_t> pick(0, 4294967294LL);
  return pick(device);
}

GenerationResult GenerationPipeline::run(const Request& request, const JobControl& control) {
  validateRequest(request);
  checkSizes(request, *model_);
  c10::InferenceMode guard;
  GenerationResult result;
  result.seed = resolveSeed(request.seed);

  const auto plan = SamplingPlan::forRequest(request);
  Batch batch{{}, plan, model_->schedule(plan.tableFlavor), {}, std::nullopt, 0, request.batchCount};
  control.record("schedule.sigmas", batch.table.sigmas());
  batch.prompts = encodePrompts(conditioner_, request, request.width, request.height, control);
  if (request.isImg2Img()) batch.init = prepareInit(*model_, request, control);

  for (int n = 0; n < request.batchCount; ++n) {
    control.throwIfCancelled("batch " + std::to_string(n));
    if (n > 0 && control.stopRequested()) {  // "finish the current image and stop"
      result.stoppedEarly = true;
      break;
    }
    batch.index = n;
    const auto batchControl = n == 0 ? control : control.withPrefix("batch." + std::to_string(n) + ".");
    batch.seeds.clear();
    for (int i = 0; i < request.batchSize; ++i) {
      batch.seeds.push_back(static_cast<std::uint64_t>(result.seed + n * request.batchSize + i));
    }
    auto latent = sampleBatch(request, batch, batchControl);
    if (request.hires.enabled) latent = hiresPass(request, batch, std::move(latent), batchControl);
    auto images = tensorToImages(decodeLatents(*model_, latent, batchControl));
    if (batch.init) images = finishImages(*batch.init, std::move(images), batchControl);
    for (int i = 0; i < request.batchSize; ++i) {
      GeneratedImage image;
      auto& pixels = images[static_cast<std::size_t>(i)];
      image.width = pixels.width;
      image.height = pixels.height;
      image.rgb = std::move(pixels.pixels);
      image.seed = static_cast<std::int64_t>(batch.seeds[static_cast<std::size_t>(i)]);
      image.index = n * request.batchSize + i;
      auto extra = batch.prompts.extraGenerationParams;
      extra.insert(extra.end(), control.extraParameters.begin(), control.extraParameters.end());
      image.parameters = jobParameters(request, model_->name(), image.seed, extra);
      image.infotext = toInfotext(image.parameters);
      result.images.push_back(std::move(image));
    }
  }
  return result;
}

at::Tensor GenerationPipeline::sampleBatch(const Request& request, const Batch& batch, const JobControl& control) {
  const auto factor = model_->spatialFactor();
  const std::vector<std::int64_t> shape{model_->latentChannels(), request.height / factor, request.width / factor};
  const auto param = model_->unet()->parameters().front();
  BatchNoise noise(batch.seeds, shape, at::TensorOptions().dtype(at::kFloat).device(param.device()));
  const auto initialNoise = noise.next();
  control.record("noise", initialNoise);

  Sigmas sigmas;
  at::Tensor x;
  at::Tensor init;  // img2img: the latent the sampler keeps outside the mask
  if (batch.init) {
    sigmas = img2imgSigmas(batch.plan, batch.table, request.steps, request.img2img.denoisingStrength, false);
    x = startLatent(*batch.init, initialNoise, sigmas.empty() ? 0.0 : sigmas.front(), init);
    if (sigmas.empty()) return init;  // strength 0: the init image as it is
  } else {
    sigmas = batch.plan.sigmas(batch.table, request.steps);
    x = initialNoise * batch.plan.noiseScale(sigmas.front());
  }
  StageScope pass(control, stages::kSamplePass);
  control.notifyPass(stages::kSamplePass, static_cast<int>(sigmas.size()) - 1, batch.index, batch.count);
  CfgDenoiser denoiser(model_->unet(), batch.table, batch.plan.timestepMode, batch.prompts.cond,
                       batch.prompts.uncond, request.cfgScale, control);
  if (batch.init && batch.init->latentMask.defined()) {
    const auto m = batch.init->latentMask.to(init.device(), init.scalar_type());
    const auto keep = init * (1.0 - m);
    denoiser.setPostProcess([keep, m](const at::Tensor& denoised) { return keep + denoised * m; });
  }
  auto latent = runSampler(batch.plan, denoiser, std::move(x), sigmas, noise, batch.seeds.front(), control);
  control.record("final_latent", latent);
  return latent;
}

at::Tensor GenerationPipeline::hiresPass(const Request& request, const Batch& batch, at::Tensor latent,
                                         const JobControl& control) {
  const auto hires = control.withPrefix("hires.");
  StageScope pass(control, stages::kHiresPass);
  const int width = hiresSide(request.width, request.hires.scale);
  const int height = hiresSide(request.height, request.hires.scale);
  {
    StageScope stage(control, stages::kHiresUpscale);
    const auto mode = latentUpscaleModeFromName(request.hires.upscaler);
    if (!mode) {
      throw CelerityError(ErrorCode::InvalidArgument, "unknown upscaler '" + request.hires.upscaler + "'",
                          "Request.hires.upscaler");
    }
    latent = upscaleLatent(latent, width, height, *mode, static_cast<int>(model_->spatialFactor()));
  }
  const int steps = request.hires.steps > 0 ? request.hires.steps : request.steps;
  const auto sigmas = img2imgSigmas(batch.plan, batch.table, steps, request.hires.denoisingStrength, true);
  if (sigmas.empty()) return latent;

  // A1111 makes a new RNG of the same seeds for the second pass.
  BatchNoise noise(batch.seeds, latent.sizes().slice(1).vec(), latent.options());
  const auto initialNoise = noise.next();
  hires.record("noise", initialNoise);
  // Prompt editing has a hires timeline and SDXL's size conditioning follows the new size
  // (A1111's hr_c / hr_uc); the encoding cache makes unchanged texts free.
  const auto prompts = encodePrompts(conditioner_, request, width, height, hires, steps);
  hires.notifyPass(stages::kHiresPass, static_cast<int>(sigmas.size()) - 1, batch.index, batch.count);
  CfgDenoiser denoiser(model_->unet(), batch.table, batch.plan.timestepMode, prompts.cond, prompts.uncond,
                       request.cfgScale, hires);
  auto x = latent + initialNoise * sigmas.front();
  auto result = runSampler(batch.plan, denoiser, std::move(x), sigmas, noise, batch.seeds.front(), hires);
  hires.record("final_latent", result);
  return result;
}

}  // namespace celerity
