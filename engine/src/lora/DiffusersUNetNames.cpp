#include "lora/DiffusersUNetNames.h"

#include <array>
#include <utility>

#include "models/unet/UNetConfig.h"

namespace celerity {
namespace {

// ResBlock parts: openaimodel name → diffusers ResnetBlock2D name.
const std::array<std::pair<const char*, const char*>, 6> kResnetParts = {{
    {"in_layers.0", "norm1"},
    {"in_layers.2", "conv1"},
    {"emb_layers.1", "time_emb_proj"},
    {"out_layers.0", "norm2"},
    {"out_layers.3", "conv2"},
    {"skip_connection", "conv_shortcut"},
}};

// Modules outside the blocks (diffusers may name one several ways).
const std::array<std::pair<const char*, const char*>, 9> kBasic = {{
    {"input_blocks.0.0", "conv_in"},
    {"time_embed.0", "time_embedding.linear_1"},
    {"time_embed.2", "time_embedding.linear_2"},
    {"label_emb.0.0", "add_embedding.linear_1"},
    {"label_emb.0.2", "add_embedding.linear_2"},
    {"label_emb.0.0", "class_embedding.linear_1"},
    {"label_emb.0.2", "class_embedding.linear_2"},
    {"out.0", "conv_norm_out"},
    {"out.2", "conv_out"},
}};

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::string str(std::int64_t n) { return std::to_string(n); }

}  // namespace

void DiffusersUNetNames::addBlock(std::string ldm, std::string diffusers, BlockKind kind) {
  blocks_.push_back({std::move(ldm), std::move(diffusers), kind});
}

DiffusersUNetNames::DiffusersUNetNames(const UNetConfig& config) {
  const auto levels = config.levels();
  const auto resBlocks = config.numResBlocks;
  // Input side: input_blocks.n with n = 1 + (resBlocks + 1)·level + i; the level's downsampler after.
  for (int level = 0; level < levels; ++level) {
    auto n = 1 + (resBlocks + 1) * level;
    for (std::int64_t i = 0; i < resBlocks; ++i, ++n) {
      const auto down = "down_blocks." + str(level) + ".";
      addBlock("input_blocks." + str(n) + ".0.", down + "resnets." + str(i) + ".", BlockKind::Resnet);
      if (config.inputDepths.at(static_cast<std::size_t>(level * resBlocks + i)) > 0) {
        addBlock("input_blocks." + str(n) + ".1.", down + "attentions." + str(i) + ".", BlockKind::Attention);
      }
    }
    addBlock("input_blocks." + str(n) + ".0.op.", "down_blocks." + str(level) + ".downsamplers.0.conv.",
             BlockKind::Downsampler);
  }
  addBlock("middle_block.0.", "mid_block.resnets.0.", BlockKind::Resnet);
  addBlock("middle_block.1.", "mid_block.attentions.0.", BlockKind::Attention);
  addBlock("middle_block.2.", "mid_block.resnets.1.", BlockKind::Resnet);
  // Output side: up_blocks.x is level (levels − 1 − x); output_blocks.n, n = (resBlocks + 1)·x + i.
  for (int x = 0; x < levels; ++x) {
    const auto perLevel = resBlocks + 1;
    for (std::int64_t i = 0; i < perLevel; ++i) {
      const auto n = perLevel * x + i;
      const auto up = "up_blocks." + str(x) + ".";
      addBlock("output_blocks." + str(n) + ".0.", up + "resnets." + str(i) + ".", BlockKind::Resnet);
      int next = 1;
      if (config.outputDepths.at(static_cast<std::size_t>(n)) > 0) {
        addBlock("output_blocks." + str(n) + ".1.", up + "attentions." + str(i) + ".", BlockKind::Attention);
        next = 2;
      }
      if (i == perLevel - 1) {
        addBlock("output_blocks." + str(n) + "." + str(next) + ".conv.", up + "upsamplers.0.conv.",
                 BlockKind::Upsampler);
      }
    }
  }
}

std::vector<std::string> DiffusersUNetNames::diffusersNames(const std::string& ldm) const {
  std::vector<std::string> names;
  for (const auto& [from, to] : kBasic) {
    if (ldm == from) names.emplace_back(to);
  }
  if (!names.empty()) return names;
  const auto dotted = ldm + ".";
  for (const auto& block : blocks_) {
    if (!startsWith(dotted, block.ldm)) continue;
    const auto rest = ldm.substr(std::min(block.ldm.size(), ldm.size()));
    switch (block.kind) {
      case BlockKind::Resnet:
        for (const auto& [from, to] : kResnetParts) {
          if (rest == from) names.push_back(block.diffusers + to);
        }
        break;
      case BlockKind::Attention:
        // proj_in, norm, transformer_blocks.t.attn1.to_q, …: the same names below the block.
        if (!rest.empty()) names.push_back(block.diffusers + rest);
        break;
      case BlockKind::Downsampler:
      case BlockKind::Upsampler:
        // The block prefix ends in the conv itself ("….op." / "….conv.").
        if (dotted == block.ldm) names.push_back(block.diffusers.substr(0, block.diffusers.size() - 1));
        break;
    }
    if (!names.empty()) break;
  }
  return names;
}

}  // namespace celerity
