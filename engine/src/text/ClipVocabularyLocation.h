#pragma once
// Where the CLIP BPE vocabulary is. The package cannot ship it, so it is looked up, in this
// order (README "CLIP vocabulary"):
//   1. the application's setting (studio Settings, CLI --vocab)
//   2. the environment variable CELERITY_CLIP_VOCAB
//   3. the user's data folder: $XDG_DATA_HOME/celerity/clip (~/.local/share/celerity/clip)
//   4. the system data folders: <each of $XDG_DATA_DIRS>/celerity/clip
//      (/usr/local/share/celerity/clip, /usr/share/celerity/clip)
//   5. the program's own data folder: <prefix>/share/celerity/clip beside its bin/ (in a
//      build tree: the build folder's share/celerity/clip, linked at configure time)
//   6. an AUTOMATIC1111 / ComfyUI install: ComfyUI's comfy/sd1_tokenizer, the open_clip
//      package in A1111's venv; the roots given by the caller, then ~/stable-diffusion-webui,
//      ~/stable-diffusion-webui-forge and ~/ComfyUI
//   7. the Hugging Face cache A1111 downloads its tokenizer into
//      ($HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub: openai/clip-vit-large-patch14)
// A data folder may hold bpe_simple_vocab_16e6.txt.gz or vocab.json + merges.txt. The first
// candidate that holds a loadable vocabulary wins; when none does, the error lists every
// place that was tried and says how to install the file (the first-run message).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace celerity {

class ClipVocabularyLocation {
 public:
  static constexpr const char* kEnvironmentVariable = "CELERITY_CLIP_VOCAB";
  static constexpr const char* kOpenAiFileName = "bpe_simple_vocab_16e6.txt.gz";

  struct Candidate {
    std::string origin;          // "setting", "environment CELERITY_CLIP_VOCAB", "user data", …
    std::filesystem::path path;  // empty when that origin gives none
    std::string absence = "not set";  // how the error describes an empty path
  };

  // What the search reads from the process; tests fill it by hand.
  struct SearchEnvironment {
    std::optional<std::string> vocabulary;   // $CELERITY_CLIP_VOCAB
    std::optional<std::string> xdgDataHome;  // $XDG_DATA_HOME
    std::optional<std::string> xdgDataDirs;  // $XDG_DATA_DIRS
    std::optional<std::string> home;         // $HOME
    std::optional<std::string> hfHubCache;   // $HF_HUB_CACHE
    std::optional<std::string> hfHome;       // $HF_HOME
    std::filesystem::path programDataFolder;  // <prefix>/share/celerity (InstallPaths)
    std::vector<std::filesystem::path> installRoots;  // A1111 / ComfyUI installs to search

    // The running process: its environment and its own data folder.
    static SearchEnvironment current();
  };

  // Reads the process's environment now; `installRoots` are searched before the default
  // A1111 / ComfyUI places.
  explicit ClipVocabularyLocation(std::filesystem::path setting = {},
                                  std::vector<std::filesystem::path> installRoots = {});
  // Explicit inputs, for tests.
  ClipVocabularyLocation(std::filesystem::path setting, const SearchEnvironment& environment);

  const std::vector<Candidate>& candidates() const { return candidates_; }

  // The first loadable candidate; FileNotFound listing every candidate otherwise.
  std::filesystem::path resolve() const;

 private:
  void addDataFolder(const std::string& origin, const std::filesystem::path& folder);
  void addInstall(const std::filesystem::path& root);
  void addHuggingFaceCache(const std::filesystem::path& hub);

  std::vector<Candidate> candidates_;
};

}  // namespace celerity
