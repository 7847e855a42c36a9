#pragma once
// Checkpoints nest layers under plain names ("in_layers.2", "to_out.0", "time_embed.0") that
// come from torch.nn.Sequential containers. A parameterless module stands in for such a
// container, so the layers register under exactly the checkpoint's names.
#include <memory>
#include <string>

#include <torch/nn/module.h>

namespace celerity {

inline std::shared_ptr<torch::nn::Module> addModuleGroup(torch::nn::Module& parent, const std::string& name) {
  return parent.register_module(name, std::make_shared<torch::nn::Module>());
}

}  // namespace celerity
