#pragma once
// A LoRA / LyCORIS file (.safetensors only: pickled .pt / .ckpt files are refused, they can
// run code when read). Its tensors are grouped per module into adapters (LoraAdapter.h);
// tensors that belong to no known format are kept by name so that callers can report them.
// The `__metadata__` written by kohya sd-scripts is read for display, the base model (SD 1.x,
// SD 2.x, SDXL) is guessed from shapes, key names and metadata, and the hash A1111 writes to
// "Lora hashes" is computed on demand. Tensors are zero-copy views of the file mapping.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lora/LoraAdapter.h"

namespace celerity {

class SafetensorsFile;

enum class LoraBase {
  Unknown = 0,
  SD1,
  SD2,
  SDXL,
};

const char* loraBaseName(LoraBase base);  // "SD 1.x", "SD 2.x", "SDXL", "unknown"

struct LoraMetadata {
  std::string baseModelVersion;           // ss_base_model_version ("sd_v1", "sdxl_base_v1-0")
  std::optional<std::int64_t> networkDim;  // ss_network_dim
  std::optional<double> networkAlpha;      // ss_network_alpha
  std::string networkModule;               // ss_network_module ("networks.lora", "lycoris.kohya")
  std::string outputName;                  // ss_output_name (A1111's alias)
  std::string modelHash;                   // sshs_model_hash (A1111 prefers it to hashing)
  // ss_tag_frequency summed over the training folders, most frequent first (at most
  // kMaxTriggerWords): the words the LoRA was trained with.
  std::vector<std::pair<std::string, std::int64_t>> triggerWords;

  static constexpr std::size_t kMaxTriggerWords = 20;
};

class LoraFile {
 public:
  // Throws CelerityError naming the path: FileNotFound, UnsafeFormat (pickles),
  // MalformedFile (bad safetensors, an alpha that is not one number).
  static std::shared_ptr<LoraFile> open(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  const std::vector<LoraAdapter>& adapters() const { return adapters_; }
  const LoraAdapter* adapter(const std::string& module) const;
  // Tensor names no adapter format accounts for, in file order.
  const std::vector<std::string>& unknownKeys() const { return unknownKeys_; }
  const LoraMetadata& metadata() const { return metadata_; }

  LoraBase base() const { return base_; }
  const std::string& baseReason() const { return baseReason_; }
  // The most common adapter rank (0 when no adapter has one).
  std::int64_t rank() const;

  // A1111's hash: metadata sshs_model_hash, else the "addnet" hash — SHA-256 of the bytes
  // after the 8 + N header bytes. Computed on first use and remembered per (path, size,
  // modification time) for the whole process. shortHash() is its first 12 digits.
  std::string hash() const;
  std::string shortHash() const { return hash().substr(0, 12); }

  // The addnet hash of any safetensors file (no metadata shortcut, no cache).
  static std::string addnetHash(const std::filesystem::path& path);

 private:
  LoraFile() = default;
  void parse(const SafetensorsFile& file);
  void readMetadata(const SafetensorsFile& file);
  void guessBase();

  std::filesystem::path path_;
  std::shared_ptr<SafetensorsFile> file_;  // keeps the mapping the tensors view
  std::vector<LoraAdapter> adapters_;
  std::vector<std::string> unknownKeys_;
  LoraMetadata metadata_;
  LoraBase base_ = LoraBase::Unknown;
  std::string baseReason_;
};

}  // namespace celerity
