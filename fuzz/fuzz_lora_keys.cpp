// The LoRA key mapper on hostile module names: every naming style (kohya, diffusers/PEFT,
// LyCORIS) is canonicalised and looked up against a tiny SD 1.x and SDXL model; whatever
// the name, the target found must be a real parameter of the model with a sane row slice.
#include <cstdint>
#include <memory>
#include <string>

#include <torch/nn/module.h>

#include "FuzzSupport.h"
#include "lora/LoraKeyMap.h"

namespace {

using namespace celerity;

UNetConfig tinyUNetConfig(bool sdxl) {
  UNetConfig c;
  c.modelChannels = 32;
  c.timeEmbedDim = 128;
  c.channelMult = {1, 2};
  c.numResBlocks = 1;
  c.inputDepths = {1, 0};
  c.outputDepths = {0, 0, 1, 1};
  c.middleDepth = 1;
  c.contextDim = 32;
  if (sdxl) c.admInChannels = 256;
  return c;
}

ClipTextConfig tinyClipConfig() {
  ClipTextConfig c;
  c.width = 32;
  c.layers = 2;
  c.heads = 4;
  c.mlpWidth = 64;
  c.vocab = 1000;
  return c;
}

OpenClipTextConfig tinyOpenClipConfig() {
  OpenClipTextConfig c;
  c.width = 32;
  c.layers = 1;
  c.heads = 4;
  c.mlpWidth = 64;
  c.vocab = 1000;
  c.projectionDim = 32;
  return c;
}

struct Model {
  LoraModelParts parts;
  std::unique_ptr<LoraKeyMap> map;
};

Model makeModel(bool sdxl) {
  Model model;
  model.parts = LoraModelParts::standard(sdxl ? ModelFamily::SDXL : ModelFamily::SD1,
                                         UNetModel(tinyUNetConfig(sdxl)), ClipTextModel(tinyClipConfig()),
                                         sdxl ? OpenClipTextModel(tinyOpenClipConfig()) : OpenClipTextModel{nullptr});
  model.map = std::make_unique<LoraKeyMap>(model.parts);
  return model;
}

void checkTarget(const Model& model, const LoraTarget& target) {
  torch::nn::Module* module = model.parts.module(target.component);
  fuzz::check(module != nullptr, "target in a component the model lacks");
  const auto parameters = module->named_parameters(true);
  const at::Tensor* parameter = parameters.find(target.parameter);
  fuzz::check(parameter != nullptr, "target parameter does not exist");
  if (target.sliced()) {
    fuzz::check(target.rowBegin >= 0 && target.rowBegin < target.rowEnd &&
                    target.rowEnd <= parameter->size(0),
                "row slice outside the parameter");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Model sd1 = makeModel(false);
  static const Model sdxl = makeModel(true);
  const std::string name(reinterpret_cast<const char*>(data), size);
  celerity::fuzz::expectOnlyCelerityErrors("lora keys", [&] {
    (void)LoraKeyMap::canonicalName(name);
    for (const Model* model : {&sd1, &sdxl}) {
      if (const LoraTarget* target = model->map->find(name)) checkTarget(*model, *target);
    }
  });
  return 0;
}
