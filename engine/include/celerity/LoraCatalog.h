#pragma once
// What a front end needs to offer LoRAs without torch: the LoRA files of the configured
// folders with what their headers tell (base model, rank, alpha, trigger words), a check of
// a LoRA's base model against the loaded checkpoint's family, and the `<lora:name:te:unet>`
// tags of a prompt with their byte ranges, so that a panel can insert, re-weight and remove
// them in the text. Tags are read as the engine reads them (A1111's extra-network syntax);
// offsets are UTF-8 byte offsets into the prompt.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace celerity {

struct LoraEntry {
  // What a prompt writes in <lora:name:…>: the file's stem, or its path below the folder
  // without extension ("styles/ink") when another listed file has the same stem.
  std::string name;
  std::string relativeName;  // path below its folder, no extension, '/' separated
  std::string path;
  std::string folder;        // the configured folder it was found in
  std::string baseModel;     // "SD 1.x", "SD 2.x", "SDXL"; "" when nothing tells
  std::string baseReason;    // which shape, key or metadata decided it
  int rank = 0;              // the most common adapter rank (0: the format has none)
  double alpha = 0.0;        // ss_network_alpha, else the adapters' alpha, else the rank
  std::vector<std::string> triggerWords;  // ss_tag_frequency, most frequent first
  std::string outputName;                 // ss_output_name
  std::int64_t fileBytes = 0;
  // Not empty when the file could not be read (truncated, not safetensors): such files are
  // listed with the reason, not dropped.
  std::string error;
};

// Every .safetensors LoRA below the folders (recursively; folders that do not exist are
// skipped), by folder then path, as the engine's resolver finds them. Reads each file's
// header and adapter shapes (no weights are computed); never throws for a bad file.
std::vector<LoraEntry> listLoras(const std::vector<std::string>& folders);
// One file, as listLoras describes it (name = stem, folder empty).
LoraEntry readLoraEntry(const std::string& path);

enum class LoraCompatibility {
  Unknown = 0,   // the LoRA's base or the checkpoint's family is not known
  Compatible,
  Incompatible,  // e.g. an SDXL LoRA on an SD 1.x checkpoint: the engine refuses it
};

// `loraBase` as LoraEntry::baseModel; `checkpointFamily` as LoadedModelInfo::family
// ("SD 1.x", "SDXL base"; "SDXL" is accepted too).
LoraCompatibility loraCompatibility(const std::string& loraBase, const std::string& checkpointFamily);

struct LoraTag {
  std::size_t begin = 0;  // offset of '<'
  std::size_t end = 0;    // one past '>'
  std::string type;       // "lora" or its alias "lyco"
  std::string name;
  double teWeight = 1.0;
  double unetWeight = 1.0;  // equals teWeight when the tag gives none
  bool unetGiven = false;   // the tag writes a UNet weight of its own
  // Arguments after the weights (A1111's dyn rank limit, unknown key=value items), kept
  // when the tag is rewritten.
  std::vector<std::string> extraArgs;
  // Not empty when the engine would refuse the tag (no name, a weight that is no number).
  std::string error;
};

// The lora / lyco tags of a prompt, in order (other extra-network tags are skipped).
std::vector<LoraTag> findLoraTags(std::string_view prompt);

// A weight as tags write it: at most 4 decimals, no trailing zeros ("1", "0.8", "-0.25").
std::string formatLoraWeight(double weight);
// "<lora:name:te>" when both weights are equal, else "<lora:name:te:unet>"; extra arguments
// follow.
std::string formatLoraTag(const std::string& name, double teWeight, double unetWeight,
                          const std::string& type = "lora", const std::vector<std::string>& extraArgs = {});

// The prompt with `tag` (found in it by findLoraTags) rewritten to the given weights.
std::string setLoraTagWeights(std::string_view prompt, const LoraTag& tag, double teWeight, double unetWeight);
// The prompt without `tag` and one separator next to it (", " or a space).
std::string removeLoraTag(std::string_view prompt, const LoraTag& tag);
// The prompt with <lora:name:weight> appended, after a space unless it is empty or already
// ends in white space (as A1111's extra-network cards add theirs).
std::string appendLoraTag(std::string_view prompt, const std::string& name, double weight = 1.0);
// The prompt with the te and UNet multipliers of every valid lora tag multiplied by
// `factor` (the benchmark's weight changes).
std::string scaleLoraWeights(std::string_view prompt, double factor);

}  // namespace celerity
