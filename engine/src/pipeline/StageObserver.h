#pragma once
// How a running job tells the outside what it is doing: named stages (the profiler's and the
// timeline's identifiers), every sampler step with its latent (previews, progress bars), and —
// for tests and debugging only — named intermediate tensors. One observer per job; every
// method is called on the engine thread. The default implementation ignores everything.
#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

namespace celerity {

// Stable stage names (DESIGN.md "Data flow of one job").
namespace stages {
inline constexpr const char* kLoadCheckpoint = "load.checkpoint";
inline constexpr const char* kSamplePass = "sample";  // one sampling pass: its steps and previews
inline constexpr const char* kHiresPass = "hires";    // the hires fix: upscale, encode, sample
inline constexpr const char* kPreview = "preview";
inline constexpr const char* kTextEncode = "text.encode";
inline constexpr const char* kImageLoad = "image.load";
inline constexpr const char* kVaeEncode = "vae.encode";
inline constexpr const char* kSampleStep = "sample.step";
inline constexpr const char* kHiresUpscale = "hires.upscale";
inline constexpr const char* kVaeDecode = "vae.decode";
inline constexpr const char* kVaeFp32Retry = "vae.fp32_retry";  // vae.half overflowed: again in fp32
inline constexpr const char* kInpaintPaste = "inpaint.paste";
inline constexpr const char* kSave = "save";
}  // namespace stages

class StageObserver {
 public:
  virtual ~StageObserver() = default;

  virtual void onStageBegin(const std::string& stage) { (void)stage; }
  virtual void onStageEnd(const std::string& stage) { (void)stage; }
  // A sampling pass ("sample" or "hires") of batch `batch` (0-based) of `batches` begins.
  virtual void onPass(const std::string& pass, int steps, int batch, int batches) {
    (void)pass;
    (void)steps;
    (void)batch;
    (void)batches;
  }
  // After each sampler step's first model call: step counts from 0 to total − 1 within the
  // current sampling pass; `latent` is the state at the start of the step, `denoised` the
  // model's (guided) estimate of the clean latent — what live previews decode.
  virtual void onStep(int step, int total, const at::Tensor& latent, const at::Tensor& denoised) {
    (void)step;
    (void)total;
    (void)latent;
    (void)denoised;
  }
  // Intermediates ("noise", "latent.0", "step.3.eps", "image", …) are computed and handed
  // over only when this returns true (they cost copies).
  virtual bool recordsTensors() const { return false; }
  virtual void onTensor(const std::string& name, const at::Tensor& value) {
    (void)name;
    (void)value;
  }
};

// Optimization toggles that change how the pipeline computes (Options.h ids in comments).
struct PipelineSwitches {
  bool cfgBatch = true;      // unet.cfg_batch: one UNet call on [uncond; cond]
  bool channelsLast = false;  // unet.channels_last: NHWC UNet input
  bool tiledVae = false;     // vae.tiled
  bool halfVae = false;      // vae.half: half precision, fp32 again when that overflows
};

class UNetExecutor;

// What a job is run with: an observer (may be null), a shared cancel token (may be null) and
// a "stop after the current batch" flag (may be null).
struct JobControl {
  StageObserver* observer = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  const std::atomic<bool>* stopAfterBatch = nullptr;
  PipelineSwitches switches;
  UNetExecutor* unetExecutor = nullptr;  // null: eager UNet calls (pipeline/UNetExecutor.h)
  std::string recordPrefix;  // prepended to recorded tensor names (e.g. "hires.", "batch.1.")
  // The caller applied the prompt's <lora:…> tags (lora/PromptLoras.h): the text stage cuts
  // them out without warning that they are ignored.
  bool extraNetworksHandled = false;
  // Infotext entries the caller adds to every image (e.g. "Lora hashes").
  std::vector<std::pair<std::string, std::string>> extraParameters;

  // A copy whose recorded names get `prefix` appended to the current prefix.
  JobControl withPrefix(const std::string& prefix) const {
    JobControl copy = *this;
    copy.recordPrefix += prefix;
    return copy;
  }

  bool cancelled() const { return cancel != nullptr && cancel->load(std::memory_order_relaxed); }
  bool stopRequested() const {
    return stopAfterBatch != nullptr && stopAfterBatch->load(std::memory_order_relaxed);
  }
  void notifyPass(const std::string& pass, int steps, int batch, int batches) const {
    if (observer != nullptr) observer->onPass(pass, steps, batch, batches);
  }
  // Throws CelerityError(Cancelled), naming `where`, when the token is set.
  void throwIfCancelled(const std::string& where) const;
  bool recordsTensors() const { return observer != nullptr && observer->recordsTensors(); }
  // Hands a copy of `value` to the observer when it records tensors.
  void record(const std::string& name, const at::Tensor& value) const;
};

// Begins a stage on construction and ends it on destruction (also when an error unwinds).
class StageScope {
 public:
  StageScope(const JobControl& control, std::string stage);
  ~StageScope();
  StageScope(const StageScope&) = delete;
  StageScope& operator=(const StageScope&) = delete;

 private:
  StageObserver* observer_;
  std::string stage_;
};

}  // namespace celerity
