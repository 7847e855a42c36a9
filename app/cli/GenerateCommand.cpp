#include "GenerateCommand.h"

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include <CLI/CLI.hpp>

#include "celerity/Error.h"
#include "celerity/Request.h"
#include "metadata/GenerationParametersMapping.h"
#include "metadata/OutputNaming.h"
#include "metadata/PngTextChunks.h"
#include "pipeline/GenerationPipeline.h"
#include "pipeline/JobParameters.h"
#include "pipeline/LoadedModel.h"
#include "pipeline/StageObserver.h"
#include "text/ClipTokenizer.h"

namespace celerity::cli {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A one-line progress bar with it/s on stderr, and the time spent in each stage.
class TerminalProgress : public StageObserver {
 public:
  TerminalProgress(std::ostream& err, int batchCount) : err_(err), batchCount_(batchCount) {}

  void onStageBegin(const std::string& stage) override {
    starts_[stage] = Clock::now();
    if (stage != stages::kSampleStep && stage != stages::kTextEncode && barOpen_) endBar();
    if (stage == stages::kHiresUpscale) hires_ = true;
  }
  void onStageEnd(const std::string& stage) override {
    const auto it = starts_.find(stage);
    if (it == starts_.end()) return;
    auto& total = totals_[stage];
    total.seconds += secondsSince(it->second);
    ++total.count;
    if (stage == stages::kVaeDecode) {
      ++batch_;
      hires_ = false;
    }
  }
  void onStep(int step, int total, const at::Tensor&, const at::Tensor&) override {
    if (step == 0) passStart_ = Clock::now();
    constexpr int kWidth = 30;
    const int done = step + 1;
    const int filled = kWidth * done / total;
    const double elapsed = secondsSince(passStart_);
    std::ostringstream line;
    line << "\r";
    if (batchCount_ > 1) line << "batch " << batch_ + 1 << '/' << batchCount_ << ' ';
    if (hires_) line << "hires ";
    line << '['
         << std::string(static_cast<std::size_t>(filled), '=') << std::string(static_cast<std::size_t>(kWidth - filled), ' ')
         << "] " << done << '/' << total;
    if (step > 0 && elapsed > 0) line << "  " << std::fixed << std::setprecision(2) << step / elapsed << " it/s";
    err_ << line.str() << std::flush;
    barOpen_ = true;
  }

  void endBar() {
    err_ << '\n';
    barOpen_ = false;
  }

  void printSummary() {
    if (barOpen_) endBar();
    err_ << "stages:";
    for (const auto& [stage, total] : totals_) {
      err_ << "  " << stage << ' ' << std::fixed << std::setprecision(2) << total.seconds << " s";
      if (total.count > 1) err_ << " (" << total.count << "×)";
    }
    err_ << '\n';
  }

 private:
  struct Total {
    double seconds = 0;
    int count = 0;
  };
  std::ostream& err_;
  std::map<std::string, Clock::time_point> starts_;
  std::map<std::string, Total> totals_;
  int batchCount_;
  Clock::time_point passStart_;
  int batch_ = 0;
  bool hires_ = false;
  bool barOpen_ = false;
};

struct Options {
  std::string model;
  std::string paramsFrom;
  std::string vocab;
  std::string resizeMode = "Just resize";
  std::string maskedContent = "original";
};

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

// The request from the PNG's parameters (when given) with every explicit option on top.
Request buildRequest(CLI::App& app, const Request& parsed, const Options& options) {
  Request request;
  if (!options.paramsFrom.empty()) {
    const auto text = readPngParameters(options.paramsFrom);
    if (!text) {
      throw CelerityError(ErrorCode::InvalidArgument, "the PNG has no \"parameters\" text", options.paramsFrom);
    }
    applyParameters(fromInfotext(*text), request);
  }
  const auto given = [&app](const char* name) { return app.get_option(name)->count() > 0; };
  if (options.paramsFrom.empty() || given("--prompt")) request.prompt = parsed.prompt;
  if (options.paramsFrom.empty() || given("--negative")) request.negativePrompt = parsed.negativePrompt;
  if (options.paramsFrom.empty() || given("--steps")) request.steps = parsed.steps;
  if (options.paramsFrom.empty() || given("--cfg")) request.cfgScale = parsed.cfgScale;
  if (options.paramsFrom.empty() || given("--sampler")) request.sampler = parsed.sampler;
  if (options.paramsFrom.empty() || given("--scheduler")) request.scheduler = parsed.scheduler;
  if (options.paramsFrom.empty() || given("--seed")) request.seed = parsed.seed;
  if (options.paramsFrom.empty() || given("--width")) request.width = parsed.width;
  if (options.paramsFrom.empty() || given("--height")) request.height = parsed.height;
  if (options.paramsFrom.empty() || given("--clip-skip")) request.clipSkip = parsed.clipSkip;
  request.checkpointPath = options.model;
  request.batchCount = parsed.batchCount;
  request.batchSize = parsed.batchSize;
  request.outputFolder = parsed.outputFolder;
  request.sdxlReferenceSampling = parsed.sdxlReferenceSampling;

  request.img2img.initImagePath = parsed.img2img.initImagePath;
  if (options.paramsFrom.empty() || given("--strength")) {
    request.img2img.denoisingStrength = parsed.img2img.denoisingStrength;
  }
  request.img2img.resizeMode = parseResizeMode(options.resizeMode);
  request.inpaint = parsed.inpaint;
  request.inpaint.maskedContent = parseMaskedContent(options.maskedContent);

  if (given("--hires-scale") || given("--hires-steps") || given("--hires-denoise") || given("--hires-upscaler")) {
    request.hires.enabled = true;
    if (given("--hires-scale")) request.hires.scale = parsed.hires.scale;
    if (given("--hires-steps")) request.hires.steps = parsed.hires.steps;
    if (given("--hires-denoise")) request.hires.denoisingStrength = parsed.hires.denoisingStrength;
    if (given("--hires-upscaler")) request.hires.upscaler = parsed.hires.upscaler;
  }
  if (request.isImg2Img()) request.hires.enabled = false;  // hires fix is txt2img's
  return request;
}

}  // namespace

int runGenerate(const std::vector<std::string>& args, std::ostream& out) {
  CLI::App app{"txt2img / img2img with a Stable Diffusion checkpoint", "celerity-cli generate"};
  Request parsed;
  Options options;
  app.add_option("--model", options.model, "checkpoint (.safetensors, SD 1.x or SDXL)")->required();
  app.add_option("--prompt", parsed.prompt, "prompt");
  app.add_option("--negative", parsed.negativePrompt, "negative prompt");
  app.add_option("--steps", parsed.steps, "sampling steps")->capture_default_str();
  app.add_option("--cfg", parsed.cfgScale, "CFG scale")->capture_default_str();
  app.add_option("--sampler", parsed.sampler, "sampler: A1111 label or ComfyUI name")->capture_default_str();
  app.add_option("--scheduler", parsed.scheduler, "schedule: normal, karras, exponential, ...")
      ->capture_default_str();
  app.add_option("--seed", parsed.seed, "seed (-1: random)")->capture_default_str();
  app.add_option("--width", parsed.width, "image width (multiple of 8)")->capture_default_str();
  app.add_option("--height", parsed.height, "image height (multiple of 8)")->capture_default_str();
  app.add_option("--batch-count", parsed.batchCount, "batches, one after the other")->capture_default_str();
  app.add_option("--batch-size", parsed.batchSize, "images per batch")->capture_default_str();
  app.add_option("--clip-skip", parsed.clipSkip, "CLIP skip (A1111)")->capture_default_str();
  app.add_option("--init-image", parsed.img2img.initImagePath, "img2img: init image (PNG)");
  app.add_option("--strength", parsed.img2img.denoisingStrength, "img2img denoising strength")
      ->capture_default_str();
  app.add_option("--resize-mode", options.resizeMode, "img2img resize mode (A1111 label)")->capture_default_str();
  app.add_option("--mask", parsed.inpaint.maskPath, "inpaint mask (PNG; white = repaint)");
  app.add_option("--mask-blur", parsed.inpaint.maskBlur, "inpaint mask blur in pixels")->capture_default_str();
  app.add_flag("--only-masked", parsed.inpaint.onlyMasked, "inpaint area: only masked");
  app.add_option("--mask-padding", parsed.inpaint.onlyMaskedPadding, "only masked: padding in pixels")
      ->capture_default_str();
  app.add_flag("--invert-mask", parsed.inpaint.invertMask, "inpaint the unmasked area");
  app.add_option("--masked-content", options.maskedContent, "fill, original, latent noise, latent nothing")
      ->capture_default_str();
  app.add_option("--hires-scale", parsed.hires.scale, "hires fix: upscale factor (enables hires fix)");
  app.add_option("--hires-steps", parsed.hires.steps, "hires fix: second-pass steps (0: same)");
  app.add_option("--hires-denoise", parsed.hires.denoisingStrength, "hires fix: denoising strength");
  app.add_option("--hires-upscaler", parsed.hires.upscaler, "hires fix: Latent, Latent (nearest), ...");
  app.add_flag("--sdxl-reference", parsed.sdxlReferenceSampling,
               "SDXL: Stability reference sampling (sgm discretization, zero uncond)");
  parsed.outputFolder = "outputs";
  app.add_option("--out", parsed.outputFolder, "output folder")->capture_default_str();
  app.add_option("--params-from", options.paramsFrom, "take the parameters of this PNG (A1111 infotext)");
  app.add_option("--vocab", options.vocab, "CLIP BPE vocabulary (bpe_simple_vocab_16e6.txt.gz)");

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    throw CelerityError(ErrorCode::InvalidArgument, e.what(), "generate");
  }

  auto request = buildRequest(app, parsed, options);
  if (options.paramsFrom.empty() && request.prompt.empty() && app.get_option("--prompt")->count() == 0) {
    throw CelerityError(ErrorCode::InvalidArgument, "give --prompt (or --params-from PNG)", "--prompt");
  }
  validateRequest(request);
  std::error_code ec;
  std::filesystem::create_directories(request.outputFolder, ec);
  if (ec) {
    throw CelerityError(ErrorCode::FileUnreadable, "cannot create the output folder: " + ec.message(),
                        request.outputFolder);
  }

  TerminalProgress progress(std::cerr, request.batchCount);
  JobControl control;
  control.observer = &progress;
  std::shared_ptr<LoadedModel> model;
  {
    StageScope stage(control, stages::kLoadCheckpoint);
    model = LoadedModel::fromCheckpoint(request.checkpointPath);
  }
  GenerationPipeline pipeline(model, ClipTokenizer::loadDefault(options.vocab));
  const auto result = pipeline.run(request, control);
  {
    StageScope stage(control, stages::kSave);
    for (const auto& image : result.images) {
      const auto path = nextOutputPath(request.outputFolder, image.seed);
      writePngWithParameters(path, image.rgb, image.width, image.height, image.infotext);
      out << path.string() << '\n';
    }
  }
  progress.printSummary();
  return 0;
}

}  // namespace celerity::cli
