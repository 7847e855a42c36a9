#include "RequestOptions.h"

#include "celerity/Error.h"
#include "celerity/Options.h"
#include "metadata/GenerationParametersMapping.h"
#include "metadata/PngTextChunks.h"
#include "pipeline/JobParameters.h"

namespace celerity::cli {
namespace {

ImageResizeMode parseResizeMode(const std::string& name) {
  if (name == "Just resize") return ImageResizeMode::JustResize;
  if (name == "Crop and resize") return ImageResizeMode::CropAndResize;
  if (name == "Resize and fill") return ImageResizeMode::ResizeAndFill;
  if (name == "Just resize (latent upscale)") return ImageResizeMode::LatentUpscale;
  throw CelerityError(ErrorCode::InvalidArgument,
                      "unknown resize mode '" + name +
                          "'; use Just resize, Crop and resize, Resize and fill, Just resize (latent upscale)",
                      "--resize-mode");
}

MaskedContent parseMaskedContent(const std::string& name) {
  for (const auto content : {MaskedContent::Fill, MaskedContent::Original, MaskedContent::LatentNoise,
                             MaskedContent::LatentNothing}) {
    if (name == maskedContentName(content)) return content;
  }
  throw CelerityError(ErrorCode::InvalidArgument,
                      "unknown masked content '" + name + "'; use fill, original, latent noise, latent nothing",
                      "--masked-content");
}

}  // namespace

Request RequestOptions::build(const CLI::App& app) const {
  const auto& parsed = parsed_;
  Request request;
  if (!paramsFrom_.empty()) {
    const auto text = readPngParameters(paramsFrom_);
    if (!text) {
      throw CelerityError(ErrorCode::InvalidArgument, "the PNG has no \"parameters\" text", paramsFrom_);
    }
    applyParameters(fromInfotext(*text), request);
  }
  const auto given = [&app](const char* name) { return app.get_option(name)->count() > 0; };
  if (paramsFrom_.empty() || given("--prompt")) request.prompt = parsed.prompt;
  if (paramsFrom_.empty() || given("--negative")) request.negativePrompt = parsed.negativePrompt;
  if (paramsFrom_.empty() || given("--steps")) request.steps = parsed.steps;
  if (paramsFrom_.empty() || given("--cfg")) request.cfgScale = parsed.cfgScale;
  if (paramsFrom_.empty() || given("--sampler")) request.sampler = parsed.sampler;
  if (paramsFrom_.empty() || given("--scheduler")) request.scheduler = parsed.scheduler;
  if (paramsFrom_.empty() || given("--seed")) request.seed = parsed.seed;
  if (paramsFrom_.empty() || given("--width")) request.width = parsed.width;
  if (paramsFrom_.empty() || given("--height")) request.height = parsed.height;
  if (paramsFrom_.empty() || given("--clip-skip")) request.clipSkip = parsed.clipSkip;
  request.checkpointPath = model_;
  request.batchCount = parsed.batchCount;
  request.batchSize = parsed.batchSize;
  request.outputFolder = parsed.outputFolder;
  request.sdxlReferenceSampling = parsed.sdxlReferenceSampling;

  request.img2img.initImagePath = parsed.img2img.initImagePath;
  if (paramsFrom_.empty() || given("--strength")) {
    request.img2img.denoisingStrength = parsed.img2img.denoisingStrength;
  }
  request.img2img.resizeMode = parseResizeMode(resizeMode_);
  request.inpaint = parsed.inpaint;
  request.inpaint.maskedContent = parseMaskedContent(maskedContent_);

  if (given("--hires-scale") || given("--hires-steps") || given("--hires-denoise") || given("--hires-upscaler")) {
    request.hires.enabled = true;
    if (given("--hires-scale")) request.hires.scale = parsed.hires.scale;
    if (given("--hires-steps")) request.hires.steps = parsed.hires.steps;
    if (given("--hires-denoise")) request.hires.denoisingStrength = parsed.hires.denoisingStrength;
    if (given("--hires-upscaler")) request.hires.upscaler = parsed.hires.upscaler;
  }
  if (request.isImg2Img()) request.hires.enabled = false;  // hires fix is txt2img's
  for (const auto& toggle : toggles_) parseOptimizationSetting(toggle, request.optimizations);
  return request;
}

void RequestOptions::addTo(CLI::App& app, const std::string& outputFolder) {
  app.add_option("--model", model_, "checkpoint (.safetensors, SD 1.x or SDXL)")->required();
  app.add_option("--prompt", parsed_.prompt, "prompt");
  app.add_option("--negative", parsed_.negativePrompt, "negative prompt");
  app.add_option("--steps", parsed_.steps, "sampling steps")->capture_default_str();
  app.add_option("--cfg", parsed_.cfgScale, "CFG scale")->capture_default_str();
  app.add_option("--sampler", parsed_.sampler, "sampler: A1111 label or ComfyUI name")->capture_default_str();
  app.add_option("--scheduler", parsed_.scheduler, "schedule: normal, karras, exponential, ...")
      ->capture_default_str();
  app.add_option("--seed", parsed_.seed, "seed (-1: random)")->capture_default_str();
  app.add_option("--width", parsed_.width, "image width (multiple of 8)")->capture_default_str();
  app.add_option("--height", parsed_.height, "image height (multiple of 8)")->capture_default_str();
  app.add_option("--batch-count", parsed_.batchCount, "batches, one after the other")->capture_default_str();
  app.add_option("--batch-size", parsed_.batchSize, "images per batch")->capture_default_str();
  app.add_option("--clip-skip", parsed_.clipSkip, "CLIP skip (A1111)")->capture_default_str();
  app.add_option("--init-image", parsed_.img2img.initImagePath, "img2img: init image (PNG)");
  app.add_option("--strength", parsed_.img2img.denoisingStrength, "img2img denoising strength")
      ->capture_default_str();
  app.add_option("--resize-mode", resizeMode_, "img2img resize mode (A1111 label)")->capture_default_str();
  app.add_option("--mask", parsed_.inpaint.maskPath, "inpaint mask (PNG; white = repaint)");
  app.add_option("--mask-blur", parsed_.inpaint.maskBlur, "inpaint mask blur in pixels")->capture_default_str();
  app.add_flag("--only-masked", parsed_.inpaint.onlyMasked, "inpaint area: only masked");
  app.add_option("--mask-padding", parsed_.inpaint.onlyMaskedPadding, "only masked: padding in pixels")
      ->capture_default_str();
  app.add_flag("--invert-mask", parsed_.inpaint.invertMask, "inpaint the unmasked area");
  app.add_option("--masked-content", maskedContent_, "fill, original, latent noise, latent nothing")
      ->capture_default_str();
  app.add_option("--hires-scale", parsed_.hires.scale, "hires fix: upscale factor (enables hires fix)");
  app.add_option("--hires-steps", parsed_.hires.steps, "hires fix: second-pass steps (0: same)");
  app.add_option("--hires-denoise", parsed_.hires.denoisingStrength, "hires fix: denoising strength");
  app.add_option("--hires-upscaler", parsed_.hires.upscaler, "hires fix: Latent, Latent (nearest), ...");
  app.add_flag("--sdxl-reference", parsed_.sdxlReferenceSampling,
               "SDXL: Stability reference sampling (sgm discretization, zero uncond)");
  if (!outputFolder.empty()) {
    parsed_.outputFolder = outputFolder;
    app.add_option("--out", parsed_.outputFolder, "output folder")->capture_default_str();
  }
  app.add_option("--params-from", paramsFrom_, "take the parameters of this PNG (A1111 infotext)");
  app.add_option("--vocab", vocab_, "CLIP BPE vocabulary (bpe_simple_vocab_16e6.txt.gz)");

  app.add_option("--device", device_, "cpu, cuda, cuda:N")->capture_default_str();
  app.add_option("--opt", toggles_, "optimization toggle ID=on|off (see `celerity-cli opts`); repeatable");
  app.add_option("--preview", previewMethod_, "live previews: none, projection, taesd, vae")->capture_default_str();
  app.add_option("--preview-every", previewEvery_, "a preview every N steps")->capture_default_str();
  app.add_option("--lora-dir", loraFolders_, "folders where <lora:name:…> names are looked up; repeatable");
  app.add_option("--vae-approx", vaeApproxFolders_, "folders holding taesd_decoder / taesdxl_decoder .safetensors");
}

PreviewSettings RequestOptions::previews() const {
  PreviewSettings settings;
  settings.method = previewMethodFromName(previewMethod_);
  settings.everySteps = previewEvery_;
  return settings;
}

EngineOptions RequestOptions::engineOptions() const {
  EngineOptions options;
  options.device = device_;
  options.clipVocabularyPath = vocab_;
  options.vaeApproxFolders = vaeApproxFolders_;
  options.loraFolders = loraFolders_;
  return options;
}

}  // namespace celerity::cli
