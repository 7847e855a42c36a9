#pragma once
// Optimizations are data: each speed optimization is a registered toggle with an id, what it
// does, which stages it affects and whether it can change the image. The settings panel, the
// CLI (`--opt id=on|off`), the A/B runner and the profile all read this one catalogue.
#include <map>
#include <string>
#include <vector>

namespace celerity {

enum class NumericsClass {
  Invalid = 0,
  Exact,            // bit-identical images on and off
  WithinTolerance,  // float reordering: differences at rounding level
  ChangesImage,     // a different (intended) result: recorded in the PNG metadata
};
const char* numericsClassName(NumericsClass numerics);  // "exact", "within tolerance", "changes image"

enum class OptimizationRequirement {
  Invalid = 0,
  None,
  Cuda,      // only on a CUDA device
  Torch2,    // LibTorch ≥ 2 (scaled-dot-product attention, …)
};

struct OptimizationInfo {
  std::string id;           // "unet.cfg_batch"
  std::string title;        // "Batch cond and uncond"
  std::string description;  // one line
  bool defaultOn = true;
  std::vector<std::string> stages;  // stage names it affects
  NumericsClass numerics = NumericsClass::Exact;
  OptimizationRequirement requirement = OptimizationRequirement::None;
};

// What the running engine can do; toggles that need more report why they are unavailable.
struct DeviceCapabilities {
  bool cuda = false;
  int torchMajor = 1;
};

// Every registered toggle, in display order.
const std::vector<OptimizationInfo>& optimizationCatalog();
const OptimizationInfo* findOptimization(const std::string& id);
// Empty when available; otherwise a sentence ("needs a CUDA device; this engine runs on the CPU").
std::string unavailableReason(const OptimizationInfo& info, const DeviceCapabilities& device);

// A request's toggle choices: id → on/off; ids not named take their default.
using OptimizationOverrides = std::map<std::string, bool>;

// The resolved state of every toggle for one job.
class OptimizationSet {
 public:
  OptimizationSet();  // every toggle at its default
  // Throws CelerityError(InvalidArgument, where "optimizations.<id>") for an unknown id.
  static OptimizationSet resolve(const OptimizationOverrides& overrides);

  bool enabled(const std::string& id) const;  // unknown ids throw like resolve()
  void set(const std::string& id, bool on);   // unknown ids throw like resolve()
  std::vector<std::string> enabledIds() const;
  // Turns off what `device` cannot do (unavailableReason non-empty): what a job runs with.
  void restrictTo(const DeviceCapabilities& device);
  // The toggles that differ from their default and change the image ("id=on"), for the
  // PNG metadata; empty when none.
  std::vector<std::string> imageChangingDifferences() const;

 private:
  std::map<std::string, bool> state_;
};

// Parses "id=on", "id=off", "id=1", "id=0", "id=true", "id=false" into `overrides`.
// Throws CelerityError(InvalidArgument) for malformed text or an unknown id.
void parseOptimizationSetting(const std::string& text, OptimizationOverrides& overrides);

}  // namespace celerity
