#pragma once
// Applies a set of LoRAs to one loaded model and keeps it applied between jobs (one patcher
// per loaded model, owned by the engine). Each apply() moves the model from the set it has to
// the set asked for, touching only the weights whose LoRA contributions change:
// - merged (default): W = W0 + Σ m·ΔW, accumulated in fp32 on the weight's device; the
//   original W0 of every touched weight is kept (on the CPU) and written back bit-exactly
//   when no LoRA touches it any more. With the merge cache (`lora.merge_cache`) each ΔW is
//   kept and a change is applied as (m_new − m_old)·ΔW: re-weighting, removing one LoRA of
//   several or returning to an earlier set costs one add per changed weight and no
//   reconstruction. Without it, a changed weight is rebuilt from W0 and the factors.
// - runtime (`lora.unmerged`): Linear / Conv2d layers get forward-pass adapters
//   (LoraLayerAdapter) and keep their weights; targets that are no such layer (norms,
//   OpenCLIP's fused q/k/v slices and text_projection) are merged as above.
// Stages "lora.load" (files, hashes, key matching) and "lora.apply" (weights) are reported to
// the job's observer. Not thread-safe: call it on the engine thread, between jobs.
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <ATen/ATen.h>

#include "lora/LoraDeltaCache.h"
#include "lora/LoraFile.h"
#include "lora/LoraKeyMap.h"
#include "lora/LoraModelParts.h"
#include "pipeline/StageObserver.h"

namespace celerity {

class LoadedModel;

namespace stages {
inline constexpr const char* kLoraLoad = "lora.load";
inline constexpr const char* kLoraApply = "lora.apply";
}  // namespace stages

struct LoraSelection {
  std::filesystem::path file;
  std::string name;         // as the prompt names it (infotext, messages)
  double teWeight = 1.0;    // text encoder(s) multiplier
  double unetWeight = 1.0;  // UNet multiplier
};

struct LoraApplyOptions {
  static constexpr std::size_t kDefaultDeltaCacheBytes = std::size_t{1} << 30;

  bool mergeCache = true;  // lora.merge_cache
  bool unmerged = false;   // lora.unmerged
  std::size_t deltaCacheBytes = kDefaultDeltaCacheBytes;  // ΔW kept with the merge cache
};

struct LoraFileReport {
  std::string name;
  std::filesystem::path file;
  std::string shortHash;  // A1111's 12-digit "Lora hashes" value
  LoraBase base = LoraBase::Unknown;
  std::int64_t rank = 0;
  int modulesMatched = 0;
  // Adapter modules that name no weight of this model, tensors of no known format, and
  // modules whose shape does not fit their target ("<module> (<why>)").
  std::vector<std::string> unmatched;
};

struct LoraApplyReport {
  std::vector<LoraFileReport> files;  // one per distinct file of the set, in set order
  int tensorsTouched = 0;   // parameters whose values or forward hooks changed
  int tensorsRestored = 0;  // of those, written back to their original values
  int deltasComputed = 0;   // ΔW built from factors
  int deltasReused = 0;     // ΔW taken from the merge cache
  bool textEncoderChanged = false;
  bool unetChanged = false;

  std::vector<std::string> unmatchedKeys() const;  // "<name>: <key>" over every file
};

class LoraPatcher {
 public:
  explicit LoraPatcher(std::shared_ptr<LoadedModel> model);
  // Bare model parts (tests); the modules must outlive the patcher.
  explicit LoraPatcher(LoraModelParts parts);
  // Restores every weight and removes every forward hook.
  ~LoraPatcher();
  LoraPatcher(const LoraPatcher&) = delete;
  LoraPatcher& operator=(const LoraPatcher&) = delete;

  // Makes `set` the applied set (an empty set restores the model). Throws CelerityError
  // before touching any weight: FileNotFound / UnsafeFormat / MalformedFile naming the file,
  // InvalidArgument naming the file for a LoRA of another base model (an SDXL LoRA on an
  // SD 1.x model). Keys that match nothing are reported and logged, not fatal.
  LoraApplyReport apply(const std::vector<LoraSelection>& set, const LoraApplyOptions& options,
                        const JobControl& control = {});
  // apply({}): the model as loaded.
  void clear();

  // Identifies the text encoders' current weights: "" when no LoRA touches them, otherwise a
  // string that differs whenever the applied text-encoder LoRAs or their multipliers do (equal
  // sets give equal ids, so returning to a set finds its cached encodings again).
  const std::string& stateId() const { return textEncoderStateId_; }
  const std::string& unetStateId() const { return unetStateId_; }

  const LoraKeyMap& keyMap() const { return keyMap_; }
  const LoraModelParts& parts() const { return parts_; }
  std::size_t deltaCacheBytes() const { return deltaCache_.bytes(); }
  std::size_t backupBytes() const;

  // The weight `checkpointKey` acts with now (merged values plus runtime adapters), fp32 on
  // the CPU; undefined when the model has no such tensor. For tests and diagnostics.
  at::Tensor effectiveWeight(const std::string& checkpointKey) const;

 private:
  struct Contribution;
  struct Slot;
  struct Desired;

  void indexModules();
  std::shared_ptr<LoraFile> openFile(const std::filesystem::path& path, std::string& fileKey);
  void collect(const std::vector<LoraSelection>& set, std::map<std::string, Desired>& desired,
               LoraApplyReport& report, const JobControl& control);
  Slot& slotFor(const LoraTarget& target);
  void updateMerged(Slot& slot, const std::map<std::string, Contribution>& wanted, bool mergeCache,
                    LoraApplyReport& report);
  void updateHooked(Slot& slot, const std::map<std::string, Contribution>& wanted, LoraApplyReport& report);
  at::Tensor weightDelta(const Contribution& contribution, const Slot& slot, bool cache, LoraApplyReport& report);
  void restore(Slot& slot);
  void computeStateIds();

  std::shared_ptr<LoadedModel> model_;  // keeps the modules alive; may be null (bare parts)
  LoraModelParts parts_;
  LoraKeyMap keyMap_;
  std::unordered_map<std::string, at::Tensor> parameters_;         // "<component>:<parameter>"
  std::unordered_map<std::string, torch::nn::Module*> layers_;     // "<component>:<path>", Linear / Conv2d
  bool unmerged_ = false;
  std::map<std::string, std::unique_ptr<Slot>> slots_;            // by component:parameter
  std::map<std::string, std::shared_ptr<LoraFile>> files_;        // by file key (path|size|mtime)
  LoraDeltaCache deltaCache_{LoraApplyOptions::kDefaultDeltaCacheBytes};
  std::string textEncoderStateId_;
  std::string unetStateId_;
};

}  // namespace celerity
