#pragma once
// Finds the LoRA file a prompt's <lora:name:…> tag names, only inside the configured LoRA
// folders (A1111 models/Lora, ComfyUI models/loras, …), searched recursively. A name is the
// file's stem ("detail_tweaker"), or its path below a folder without the extension
// ("styles/detail_tweaker"); ".safetensors" may be given. Names that could leave the folders
// (a ".." component, an absolute path, a drive letter) are refused. Pickled LoRAs (.pt,
// .ckpt) are found only to say that they are refused. The folder index is rebuilt when a
// name is not found in it (new files appear without a restart) or on refresh().
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace celerity {

struct LoraFileEntry {
  std::string name;                // the stem, as prompts name it
  std::string relativeName;        // path below its folder, no extension, '/' separated
  std::filesystem::path path;
  std::filesystem::path folder;    // the configured folder it was found in
};

class LoraResolver {
 public:
  explicit LoraResolver(std::vector<std::filesystem::path> folders = {});

  void setFolders(std::vector<std::filesystem::path> folders);
  const std::vector<std::filesystem::path>& folders() const { return folders_; }

  // Throws CelerityError: InvalidArgument (empty name, "..", absolute path) naming the name,
  // UnsafeFormat for a pickled LoRA, FileNotFound listing the folders searched. Where a stem
  // occurs in several places the first folder wins, then the shortest, then sorted path.
  std::filesystem::path resolve(const std::string& name);

  // Every .safetensors LoRA of the folders, by folder then path (the LoRA panel's list).
  std::vector<LoraFileEntry> list();
  void refresh();

 private:
  void scan();
  std::string foldersText() const;

  std::vector<std::filesystem::path> folders_;
  bool scanned_ = false;
  std::vector<LoraFileEntry> entries_;
  std::vector<LoraFileEntry> pickles_;
  std::map<std::string, std::size_t> byName_;      // stem → first entry
  std::map<std::string, std::size_t> byRelative_;  // relative name → entry
};

}  // namespace celerity
