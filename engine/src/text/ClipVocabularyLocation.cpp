#include "text/ClipVocabularyLocation.h"

#include <algorithm>
#include <cstdlib>

#include <spdlog/spdlog.h>

#include "celerity/Error.h"
#include "common/InstallPaths.h"
#include "common/Log.h"
#include "text/ClipVocabulary.h"

namespace fs = std::filesystem;

namespace celerity {

namespace {

std::optional<std::string> environmentValue(const char* name) {
  const char* value = std::getenv(name);
  if (!value) return std::nullopt;
  return std::string(value);
}

// XDG says: unset or empty means the default.
std::string orDefault(const std::optional<std::string>& value, const std::string& fallback) {
  return value && !value->empty() ? *value : fallback;
}

std::vector<std::string> splitColons(const std::string& list) {
  std::vector<std::string> parts;
  std::string::size_type start = 0;
  while (start <= list.size()) {
    const auto end = std::min(list.find(':', start), list.size());
    if (end > start) parts.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string describe(const ClipVocabularyLocation::Candidate& candidate) {
  if (candidate.path.empty()) return candidate.origin + ": " + candidate.absence;
  std::error_code ec;
  const char* state = !fs::exists(candidate.path, ec)  ? "does not exist"
                      : fs::is_directory(candidate.path, ec)
                          ? "folder without bpe_simple_vocab_16e6.txt.gz or vocab.json + merges.txt"
                          : "not a loadable vocabulary";
  return candidate.origin + ": " + candidate.path.string() + " (" + state + ")";
}

bool isDirectory(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

}  // namespace

ClipVocabularyLocation::SearchEnvironment ClipVocabularyLocation::SearchEnvironment::current() {
  SearchEnvironment environment;
  environment.vocabulary = environmentValue(kEnvironmentVariable);
  environment.xdgDataHome = environmentValue("XDG_DATA_HOME");
  environment.xdgDataDirs = environmentValue("XDG_DATA_DIRS");
  environment.home = environmentValue("HOME");
  environment.hfHubCache = environmentValue("HF_HUB_CACHE");
  environment.hfHome = environmentValue("HF_HOME");
  environment.programDataFolder = celerity::programDataFolder();
  return environment;
}

ClipVocabularyLocation::ClipVocabularyLocation(fs::path setting, std::vector<fs::path> installRoots)
    : ClipVocabularyLocation(std::move(setting), [&installRoots] {
        auto environment = SearchEnvironment::current();
        environment.installRoots = std::move(installRoots);
        return environment;
      }()) {}

ClipVocabularyLocation::ClipVocabularyLocation(fs::path setting, const SearchEnvironment& environment) {
  candidates_.push_back({"setting", std::move(setting)});
  candidates_.push_back({std::string("environment ") + kEnvironmentVariable,
                         environment.vocabulary ? fs::path(*environment.vocabulary) : fs::path()});

  const std::string home = orDefault(environment.home, "");
  const std::string dataHome = orDefault(environment.xdgDataHome, home.empty() ? "" : home + "/.local/share");
  if (!dataHome.empty()) addDataFolder("user data ($XDG_DATA_HOME)", fs::path(dataHome) / "celerity" / "clip");

  std::vector<fs::path> systemFolders;
  for (const auto& folder : splitColons(orDefault(environment.xdgDataDirs, "/usr/local/share:/usr/share"))) {
    systemFolders.push_back(fs::path(folder) / "celerity" / "clip");
    addDataFolder("system data ($XDG_DATA_DIRS)", systemFolders.back());
  }
  if (!environment.programDataFolder.empty()) {
    const fs::path own = environment.programDataFolder / "clip";
    if (std::find(systemFolders.begin(), systemFolders.end(), own) == systemFolders.end()) {
      addDataFolder("program data", own);
    }
  }

  std::vector<fs::path> roots = environment.installRoots;
  if (!home.empty()) {
    for (const char* name : {"stable-diffusion-webui", "stable-diffusion-webui-forge", "ComfyUI"}) {
      roots.push_back(fs::path(home) / name);
    }
  }
  const std::size_t before = candidates_.size();
  for (const auto& root : roots) addInstall(root);
  if (candidates_.size() == before) {
    candidates_.push_back({"AUTOMATIC1111 / ComfyUI install", {}, "none found"});
  }

  fs::path hub;
  if (environment.hfHubCache && !environment.hfHubCache->empty()) {
    hub = *environment.hfHubCache;
  } else if (environment.hfHome && !environment.hfHome->empty()) {
    hub = fs::path(*environment.hfHome) / "hub";
  } else if (!home.empty()) {
    hub = fs::path(home) / ".cache" / "huggingface" / "hub";
  }
  addHuggingFaceCache(hub);
}

void ClipVocabularyLocation::addDataFolder(const std::string& origin, const fs::path& folder) {
  // The openai file inside the folder, else the folder itself (vocab.json + merges.txt).
  const fs::path file = folder / kOpenAiFileName;
  std::error_code ec;
  candidates_.push_back({origin, fs::is_regular_file(file, ec) ? file : folder});
}

void ClipVocabularyLocation::addInstall(const fs::path& root) {
  // A model folder setting may name the install's `models` folder.
  const fs::path install = root.filename() == "models" ? root.parent_path() : root;
  if (install.empty() || !isDirectory(install)) return;
  const fs::path comfy = install / "comfy" / "sd1_tokenizer";
  if (isDirectory(comfy)) candidates_.push_back({"ComfyUI install", comfy});
  // A1111's venv carries open_clip, which ships the openai file.
  const fs::path venvLib = install / "venv" / "lib";
  if (!isDirectory(venvLib)) return;
  std::error_code ec;
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(venvLib, ec)) {
    const fs::path file = entry.path() / "site-packages" / "open_clip" / kOpenAiFileName;
    if (entry.path().filename().string().rfind("python", 0) == 0 && fs::is_regular_file(file, ec)) {
      found.push_back(file);
    }
  }
  std::sort(found.begin(), found.end());
  for (const auto& file : found) candidates_.push_back({"AUTOMATIC1111 install (open_clip)", file});
}

void ClipVocabularyLocation::addHuggingFaceCache(const fs::path& hub) {
  const std::string origin = "Hugging Face cache (openai/clip-vit-large-patch14)";
  if (hub.empty()) {
    candidates_.push_back({origin, {}, "no home folder"});
    return;
  }
  const fs::path snapshots = hub / "models--openai--clip-vit-large-patch14" / "snapshots";
  std::error_code ec;
  std::vector<fs::path> loadable;
  if (isDirectory(snapshots)) {
    for (const auto& entry : fs::directory_iterator(snapshots, ec)) {
      if (ClipVocabulary::looksLoadable(entry.path())) loadable.push_back(entry.path());
    }
  }
  std::sort(loadable.begin(), loadable.end());
  candidates_.push_back({origin, loadable.empty() ? snapshots : loadable.front()});
}

fs::path ClipVocabularyLocation::resolve() const {
  for (std::size_t i = 0; i < candidates_.size(); ++i) {
    const Candidate& candidate = candidates_[i];
    if (!ClipVocabulary::looksLoadable(candidate.path)) continue;
    // Only an explicit choice that points nowhere deserves a warning; the search places
    // are expected to be empty.
    for (std::size_t skipped = 0; skipped < std::min<std::size_t>(i, 2); ++skipped) {
      if (!candidates_[skipped].path.empty()) {
        engineLog()->warn("CLIP vocabulary: {}; using {}", describe(candidates_[skipped]),
                          candidate.path.string());
      }
    }
    return candidate.path;
  }
  std::string message =
      "CLIP BPE vocabulary not found. Celerity cannot ship it: download "
      "bpe_simple_vocab_16e6.txt.gz from https://github.com/openai/CLIP (folder clip/) into "
      "~/.local/share/celerity/clip/, or point the CLIP vocabulary setting or the environment "
      "variable CELERITY_CLIP_VOCAB at it (a folder with Hugging Face vocab.json + merges.txt "
      "works too). Looked at:";
  for (const Candidate& candidate : candidates_) message += "\n  - " + describe(candidate);
  // The error concerns the explicit choice when there was one (setting, then environment).
  std::string where = "CLIP vocabulary";
  for (std::size_t i = 0; i < 2 && i < candidates_.size(); ++i) {
    if (!candidates_[i].path.empty()) {
      where = candidates_[i].path.string();
      break;
    }
  }
  throw CelerityError(ErrorCode::FileNotFound, message, where);
}

}  // namespace celerity
