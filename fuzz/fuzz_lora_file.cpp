// LoRA files from strangers: the safetensors container, the grouping of tensors into
// adapters (LoRA / LoCon / LoHa / LoKr / full diff, DoRA), kohya metadata (tag frequencies,
// alpha), the base-model guess, and for every adapter that names a weight of a tiny SD 1.x
// model with the right element count, its weight delta.
#include <cstdint>
#include <memory>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "FuzzSupport.h"
#include "lora/LoraDelta.h"
#include "lora/LoraFile.h"
#include "lora/LoraKeyMap.h"

namespace {

using namespace celerity;

struct TinyModel {
  LoraModelParts parts;
  std::unique_ptr<LoraKeyMap> map;

  TinyModel() {
    UNetConfig unet;
    unet.modelChannels = 32;
    unet.timeEmbedDim = 128;
    unet.channelMult = {1, 2};
    unet.numResBlocks = 1;
    unet.inputDepths = {1, 0};
    unet.outputDepths = {0, 0, 1, 1};
    unet.middleDepth = 1;
    unet.contextDim = 32;
    ClipTextConfig clip;
    clip.width = 32;
    clip.layers = 2;
    clip.heads = 4;
    clip.mlpWidth = 64;
    clip.vocab = 1000;
    parts = LoraModelParts::standard(ModelFamily::SD1, UNetModel(unet), ClipTextModel(clip));
    map = std::make_unique<LoraKeyMap>(parts);
  }
};

std::int64_t numelOf(const std::vector<std::int64_t>& shape) {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const TinyModel model;
  fuzz::MemoryFile file(data, size);
  fuzz::expectOnlyCelerityErrors("lora file", [&] {
    const auto lora = LoraFile::open(file.path());
    (void)lora->rank();
    (void)lora->base();
    for (const auto& adapter : lora->adapters()) {
      (void)adapter.scale();
      (void)adapter.rank();
      const LoraTarget* target = model.map->find(adapter.module);
      if (target == nullptr || !adapter.hasWeightDelta()) continue;
      if (loraDeltaNumel(adapter) != numelOf(target->shape)) continue;
      fuzz::expectOnlyCelerityErrors("lora delta", [&] {
        torch::nn::Module* module = model.parts.module(target->component);
        const at::Tensor original = module->named_parameters(true)[target->parameter];
        const at::Tensor delta = loraWeightDelta(adapter, target->shape, at::kCPU,
                                                 target->whole() ? original : at::Tensor());
        fuzz::check(delta.numel() == numelOf(target->shape), "delta of the wrong size");
      });
    }
  });
  return 0;
}
