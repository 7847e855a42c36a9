#pragma once
// The diffusers names of a CompVis / sgm UNet's modules, derived from its configuration the
// way ComfyUI's unet_to_diffusers walks it (levels × ResBlocks, where each level has
// attention, the middle block, the output side in reverse): kohya LoRAs name UNet modules
// by these paths (with '.' → '_'). Nothing here is a per-key table: a UNet of another shape
// (distilled SDXL, other depths) gets its own names from its own config.
#include <string>
#include <vector>

namespace celerity {

struct UNetConfig;

class DiffusersUNetNames {
 public:
  explicit DiffusersUNetNames(const UNetConfig& config);

  // The diffusers module paths of the checkpoint-layout module path `ldm` (e.g.
  // "input_blocks.1.0.in_layers.2" → {"down_blocks.0.resnets.0.conv1"}); several where
  // diffusers has aliases (label_emb.0.0 → add_embedding.linear_1 and
  // class_embedding.linear_1); empty for a module diffusers does not name.
  std::vector<std::string> diffusersNames(const std::string& ldm) const;

 private:
  enum class BlockKind { Resnet, Attention, Downsampler, Upsampler };
  struct Block {
    std::string ldm;        // "input_blocks.1.0."
    std::string diffusers;  // "down_blocks.0.resnets.0."
    BlockKind kind;
  };
  void addBlock(std::string ldm, std::string diffusers, BlockKind kind);

  std::vector<Block> blocks_;
};

}  // namespace celerity
