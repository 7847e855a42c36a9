#pragma once
// The long-lived engine: loaded models (state that survives jobs) kept apart from per-job
// state. `run(job)` is synchronous and thread-agnostic — threads live in the callers (the
// studio's worker thread, the CLI's main thread) — and never throws: every job ends in
// exactly one final event and a JobResult. Plain C++ types only: front ends need no torch.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "celerity/Error.h"
#include "celerity/Events.h"
#include "celerity/Options.h"
#include "celerity/Request.h"

namespace celerity {

struct PreviewSettings {
  PreviewMethod method = PreviewMethod::Projection;
  int everySteps = 1;       // a preview every N sampler steps
  int minIntervalMs = 200;  // and at least M ms apart (the `preview.throttle` toggle)
};

enum class JobKind {
  Invalid = 0,
  Generate,   // run the request
  LoadModel,  // only make request.checkpointPath resident (the studio's background preload)
};

struct Job {
  JobId id = 0;
  JobKind kind = JobKind::Generate;
  Request request;
  PreviewSettings previews;
  std::shared_ptr<CancelToken> cancel;  // may be null
  JobEventSink* events = nullptr;       // may be null; called on the running thread
  bool saveImages = true;  // write PNGs to request.outputFolder (when it is not empty)
};

enum class JobOutcome { Invalid = 0, Finished, Cancelled, Failed };

struct JobResult {
  JobOutcome outcome = JobOutcome::Invalid;
  JobOutput output;  // also on failure: what the job made before it failed
  Error error;       // set when Failed
};

struct LoadedModelInfo {
  std::string path;
  std::string family;  // "SD 1.x", "SDXL"
  std::int64_t hostBytes = 0;
  std::int64_t deviceBytes = 0;
  double loadMs = 0.0;
  std::uint64_t lastUsed = 0;  // engine-wide use counter: larger = more recent
};

struct EngineOptions {
  std::string device = "cpu";           // "cpu", "cuda", "cuda:1"
  std::int64_t hostBudgetBytes = 0;     // models kept resident in RAM; 0 = half the RAM
  std::int64_t deviceBudgetBytes = 0;   // on a GPU; 0 = 90 % of its memory
  std::string clipVocabularyPath;       // empty: the usual places (ClipVocabularyLocation)
  std::vector<std::string> vaeApproxFolders;  // where taesd_decoder / taesdxl_decoder live
  std::vector<std::string> loraFolders;       // where `<lora:name:…>` names are looked up
  std::vector<std::string> detectorFolders;   // ADetailer models (face_yolov8n.pt, …)
  std::string haarCascadeDir;                 // empty: Debian's opencv-data folder
  // Where the checkpoints' and VAEs' SHA-256 ("Model hash", "VAE hash") are kept across runs;
  // empty: for the engine's lifetime only.
  std::string hashCacheFile;
  // false: no file is hashed and the infotext has no "Model hash" / "VAE hash" (A1111's
  // --no-hashing), for libraries of many large checkpoints.
  bool hashFiles = true;
};

// The interface front ends drive; the studio's tests substitute a fake.
class GenerationEngine {
 public:
  virtual ~GenerationEngine() = default;
  virtual JobResult run(const Job& job) = 0;
  virtual std::vector<LoadedModelInfo> loadedModels() const = 0;
  virtual DeviceCapabilities capabilities() const = 0;
  virtual void unloadAll() = 0;
};

class Engine final : public GenerationEngine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine() override;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  JobResult run(const Job& job) override;
  std::vector<LoadedModelInfo> loadedModels() const override;
  DeviceCapabilities capabilities() const override;
  void unloadAll() override;

  // Changes the residency budget; evicts least-recently-used models that no longer fit.
  void setMemoryBudget(std::int64_t hostBytes, std::int64_t deviceBytes);
  const EngineOptions& options() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace celerity
