#include "text/ClipVocabularyLocation.h"

#include <cstdlib>

#include <spdlog/spdlog.h>

#include "celerity/Error.h"
#include "common/Log.h"
#include "text/ClipVocabulary.h"

#ifndef CELERITY_DEFAULT_CLIP_VOCAB
#define CELERITY_DEFAULT_CLIP_VOCAB ""
#endif

namespace fs = std::filesystem;

namespace celerity {

namespace {

std::optional<std::string> environmentValue() {
  const char* value = std::getenv(ClipVocabularyLocation::kEnvironmentVariable);
  if (!value) return std::nullopt;
  return std::string(value);
}

std::string describe(const ClipVocabularyLocation::Candidate& candidate) {
  if (candidate.path.empty()) return candidate.origin + ": not set";
  std::error_code ec;
  const char* state = !fs::exists(candidate.path, ec)  ? "does not exist"
                      : fs::is_directory(candidate.path, ec)
                          ? "folder without vocab.json + merges.txt"
                          : "not a loadable vocabulary";
  return candidate.origin + ": " + candidate.path.string() + " (" + state + ")";
}

}  // namespace

ClipVocabularyLocation::ClipVocabularyLocation(fs::path setting)
    : ClipVocabularyLocation(std::move(setting), environmentValue(), compiledDefault()) {}

ClipVocabularyLocation::ClipVocabularyLocation(fs::path setting,
                                               std::optional<std::string> environment,
                                               fs::path compiledDefault) {
  candidates_.push_back({"setting", std::move(setting)});
  candidates_.push_back({std::string("environment ") + kEnvironmentVariable,
                         environment ? fs::path(*environment) : fs::path()});
  candidates_.push_back({"compiled default", std::move(compiledDefault)});
}

fs::path ClipVocabularyLocation::compiledDefault() { return fs::path(CELERITY_DEFAULT_CLIP_VOCAB); }

fs::path ClipVocabularyLocation::resolve() const {
  for (std::size_t i = 0; i < candidates_.size(); ++i) {
    const Candidate& candidate = candidates_[i];
    if (!ClipVocabulary::looksLoadable(candidate.path)) continue;
    for (std::size_t skipped = 0; skipped < i; ++skipped) {
      if (!candidates_[skipped].path.empty()) {
        engineLog()->warn("CLIP vocabulary: {}; using {}", describe(candidates_[skipped]),
                          candidate.path.string());
      }
    }
    return candidate.path;
  }
  std::string message = "CLIP BPE vocabulary (bpe_simple_vocab_16e6.txt.gz, or a folder with "
                        "vocab.json + merges.txt) not found; looked at:";
  std::string where = "CLIP vocabulary";
  for (const Candidate& candidate : candidates_) {
    message += "\n  - " + describe(candidate);
    if (where == "CLIP vocabulary" && !candidate.path.empty()) where = candidate.path.string();
  }
  throw CelerityError(ErrorCode::FileNotFound, message, where);
}

}  // namespace celerity
