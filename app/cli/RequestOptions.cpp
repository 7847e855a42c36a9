#include "RequestOptions.h"

#include <cstdlib>
#include <fstream>
#include <sstream>


#include "celerity/Error.h"
#include "celerity/Options.h"
#include "metadata/GenerationParametersMapping.h"
#include "metadata/PngTextChunks.h"
#include "pipeline/JobParameters.h"

namespace celerity::cli {
namespace {

// Where the file hashes of the infotext are kept across runs: $XDG_CACHE_HOME/celerity, else
// ~/.cache/celerity; without either, for this run only.
std::string userHashCacheFile() {
  if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache != nullptr && *cache != '\0') {
    return std::string(cache) + "/celerity/hashes.json";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return std::string(home) + "/.cache/celerity/hashes.json";
  }
  return {};
}

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
    applyParameters(fromInfotext(*text), request);  // ADetailer tabs included
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
  request.vaePath = parsed.vaePath;
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
  if (!detailerModels_.empty() || !detailerJson_.empty()) request.detailer = detailerParams(app);
  // Also for tabs read back by --params-from (the PNG does not say either).
  if (detailerSkipImg2Img_) request.detailer.skipImg2Img = true;
  if (detailerSameSeed_) request.detailer.sameSeedForEachTab = true;
  return request;
}

DetailerParams RequestOptions::detailerParams(const CLI::App& app) const {
  if (!detailerJson_.empty()) {
    if (!detailerModels_.empty()) {
      throw CelerityError(ErrorCode::InvalidArgument, "give the tabs either with --adetailer or with --ad-json",
                          "--ad-json");
    }
    std::string text = detailerJson_;
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || (text[first] != '[' && text[first] != '{')) {  // a file name
      std::ifstream file(detailerJson_, std::ios::binary);
      if (!file) throw CelerityError(ErrorCode::FileNotFound, "cannot open the ADetailer JSON file", detailerJson_);
      std::ostringstream content;
      content << file.rdbuf();
      text = content.str();
    }
    auto params = detailerParamsFromJson(text, "--ad-json");
    params.sameSeedForEachTab = params.sameSeedForEachTab || detailerSameSeed_;
    params.skipImg2Img = params.skipImg2Img || detailerSkipImg2Img_;
    return params;
  }
  const auto given = [&app](const char* name) { return app.get_option(name)->count() > 0; };
  DetailerParams params;
  params.sameSeedForEachTab = detailerSameSeed_;
  params.skipImg2Img = detailerSkipImg2Img_;
  for (const auto& model : detailerModels_) {
    DetailerTab tab = detailerTab_;
    tab.model = model;
    tab.inpaintOnlyMasked = !detailerWholePicture_;
    if (given("--ad-steps")) tab.steps = detailerSteps_;
    if (given("--ad-cfg")) tab.cfgScale = detailerCfg_;
    if (given("--ad-sampler")) tab.sampler = detailerSampler_;
    if (detailerInpaintSize_ == "match") {
      tab.inpaintSize = DetailerInpaintSize::MatchBox;
    } else if (!detailerInpaintSize_.empty()) {
      const auto x = detailerInpaintSize_.find('x');
      try {
        if (x == std::string::npos) throw std::invalid_argument("no x");
        tab.inpaintWidth = std::stoi(detailerInpaintSize_.substr(0, x));
        tab.inpaintHeight = std::stoi(detailerInpaintSize_.substr(x + 1));
      } catch (const std::exception&) {
        throw CelerityError(ErrorCode::InvalidArgument, "expected WIDTHxHEIGHT or 'match'", "--ad-inpaint-size");
      }
      tab.inpaintSize = DetailerInpaintSize::Custom;
    }
    params.tabs.push_back(std::move(tab));
  }
  if (params.tabs.size() > static_cast<std::size_t>(DetailerParams::kMaxTabs)) {
    throw CelerityError(ErrorCode::InvalidArgument, "at most 4 detailer tabs", "--adetailer");
  }
  return params;
}

void RequestOptions::addTo(CLI::App& app, const std::string& outputFolder) {
  app.add_option("--model", model_, "checkpoint (.safetensors, SD 1.x or SDXL)")->required();
  app.add_option("--vae", parsed_.vaePath, "standalone VAE (.safetensors) instead of the checkpoint's own");
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
  app.add_option("--adetailer", detailerModels_,
                 "ADetailer: a tab with this detector (face_yolov8n.pt, hand_yolov8n.pt, haar_face, …); repeatable");
  app.add_option("--ad-json", detailerJson_,
                 "ADetailer tabs as JSON (file or text) in ADetailer's API form: [{\"ad_model\": …}, …]");
  app.add_option("--ad-prompt", detailerTab_.prompt, "ADetailer prompt ([SEP], [PROMPT], [SKIP]; empty: main)");
  app.add_option("--ad-negative", detailerTab_.negativePrompt, "ADetailer negative prompt");
  app.add_option("--ad-confidence", detailerTab_.confidence, "ADetailer detection confidence")->capture_default_str();
  app.add_option("--ad-min-ratio", detailerTab_.maskMinRatio, "ADetailer mask min area ratio")->capture_default_str();
  app.add_option("--ad-max-ratio", detailerTab_.maskMaxRatio, "ADetailer mask max area ratio")->capture_default_str();
  app.add_option("--ad-top-k", detailerTab_.maskTopK, "ADetailer: keep the k largest masks (0: all)")->capture_default_str();
  app.add_option("--ad-dilate", detailerTab_.dilateErode, "ADetailer mask dilate (>0) / erode (<0)")->capture_default_str();
  app.add_option("--ad-x-offset", detailerTab_.xOffset, "ADetailer mask x offset")->capture_default_str();
  app.add_option("--ad-y-offset", detailerTab_.yOffset, "ADetailer mask y offset (up)")->capture_default_str();
  app.add_option("--ad-mask-blur", detailerTab_.maskBlur, "ADetailer mask blur")->capture_default_str();
  app.add_option("--ad-denoise", detailerTab_.denoisingStrength, "ADetailer denoising strength")->capture_default_str();
  app.add_option("--ad-padding", detailerTab_.inpaintPadding, "ADetailer only-masked padding")->capture_default_str();
  app.add_flag("--ad-whole-picture", detailerWholePicture_, "ADetailer: inpaint the whole picture, not only masked");
  app.add_option("--ad-inpaint-size", detailerInpaintSize_, "ADetailer inpaint size WIDTHxHEIGHT, or 'match' (the box)");
  app.add_option("--ad-steps", detailerSteps_, "ADetailer: own steps");
  app.add_option("--ad-cfg", detailerCfg_, "ADetailer: own CFG scale");
  app.add_option("--ad-sampler", detailerSampler_, "ADetailer: own sampler");
  app.add_flag("--ad-skip-img2img", detailerSkipImg2Img_,
               "ADetailer with --init-image: detail the init image as it is (no img2img pass first)");
  app.add_flag("--ad-same-seed", detailerSameSeed_, "ADetailer: the same seed for every tab (default: seed + tab)");
  app.add_option("--ad-dir", detectorFolders_, "folders holding ADetailer detector models; repeatable");
  app.add_option("--haar-dir", haarCascadeDir_, "folder of OpenCV's Haar cascades (default: Debian's opencv-data)");
  app.add_flag("--no-hashing", noHashing_, "do not hash checkpoints and VAEs (no \"Model hash\" in the PNG)");
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
  options.detectorFolders = detectorFolders_;
  options.haarCascadeDir = haarCascadeDir_;
  options.hashCacheFile = userHashCacheFile();
  options.hashFiles = !noHashing_;
  return options;
}

}  // namespace celerity::cli
