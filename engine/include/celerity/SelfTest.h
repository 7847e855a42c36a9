#pragma once
// `celerity-cli selftest`: every optimization toggle and compute dtype on a device, checked
// against the CPU fp32 result of the same weights. Small random models (the tiny SD 1.x and
// SDXL architectures, made on the spot) run one short txt2img job each; the final latent and
// the decoded image are compared by relative L2 error ‖a − b‖ / ‖b‖ with the tolerance of the
// case's precision (fp32 1e-4, fp16/bf16 2e-2). Plain C++ types.
#include <functional>
#include <string>
#include <vector>

namespace celerity {

struct SelfTestOptions {
  std::string device = "cpu";
  std::string clipVocabularyPath;       // empty: the usual places
  std::string workFolder;               // where the random models go; empty: a temporary folder
  std::vector<std::string> archs = {"sd15", "sdxl"};
};

struct SelfTestRow {
  std::string arch;         // "sd15", "sdxl"
  std::string name;         // "defaults", "attn.sdpa=off", "half precision", …
  std::string precision;    // "fp32", "fp16", "bf16"
  double latentError = -1;  // relative L2 error of the final latent; −1 = not run
  double imageError = -1;   // of the decoded image
  double tolerance = 0;
  double ms = 0;            // the case's job on the device
  bool skipped = false;     // see note
  bool informational = false;  // measured but not judged (half precision on the CPU)
  bool passed = false;
  std::string note;         // why skipped, or the error
};

struct SelfTestReport {
  std::string device;
  std::vector<SelfTestRow> rows;
  bool passed() const;  // no judged row failed (skipped and informational rows do not fail)
};

// Throws CelerityError for set-up failures (device, vocabulary, writing the models); a case
// that fails to run is a failed row naming the error.
SelfTestReport runSelfTest(const SelfTestOptions& options,
                           const std::function<void(const SelfTestRow&)>& onRow = {});

std::string formatSelfTestTable(const SelfTestReport& report);
std::string selfTestJson(const SelfTestReport& report);

}  // namespace celerity
