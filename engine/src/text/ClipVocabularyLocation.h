#pragma once
// Where the CLIP BPE vocabulary is: the path from the application's setting, else the
// environment variable CELERITY_CLIP_VOCAB, else the path compiled in at configure time
// (CMake's CELERITY_CLIP_VOCAB; may be empty). The first candidate that holds a loadable
// vocabulary wins; when none does, the error lists every place that was tried.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace celerity {

class ClipVocabularyLocation {
 public:
  static constexpr const char* kEnvironmentVariable = "CELERITY_CLIP_VOCAB";

  struct Candidate {
    std::string origin;  // "setting", "environment CELERITY_CLIP_VOCAB", "compiled default"
    std::filesystem::path path;  // empty when that origin gives none
  };

  // Reads the environment and the compiled default now.
  explicit ClipVocabularyLocation(std::filesystem::path setting = {});
  // Explicit inputs, for tests and callers that manage their own environment.
  ClipVocabularyLocation(std::filesystem::path setting, std::optional<std::string> environment,
                         std::filesystem::path compiledDefault);

  static std::filesystem::path compiledDefault();

  const std::vector<Candidate>& candidates() const { return candidates_; }

  // The first loadable candidate; FileNotFound listing every candidate otherwise.
  std::filesystem::path resolve() const;

 private:
  std::vector<Candidate> candidates_;
};

}  // namespace celerity
