#include "runtime/JobSetup.h"

#include <ATen/Context.h>
#include <torch/version.h>

#include "models/common/Precision.h"
#include "pipeline/LoadedModel.h"

namespace celerity {

DeviceCapabilities capabilitiesOf(const at::Device& device) {
  DeviceCapabilities capabilities;
  capabilities.cuda = device.is_cuda();
#ifdef TORCH_VERSION_MAJOR
  capabilities.torchMajor = TORCH_VERSION_MAJOR;
#endif
  return capabilities;
}

JobSetup jobSetupFor(const OptimizationSet& toggles, const at::Device& device) {
  JobSetup setup;
  setup.load.device = device;
  setup.load.zeroCopy = toggles.enabled("load.mmap");
  setup.load.parallel = toggles.enabled("load.parallel");
  setup.load.pinnedAsync = toggles.enabled("load.pinned_async");
  if (toggles.enabled("unet.half")) setup.load.unetDtype = halfTypeFor(device);
  setup.switches.cfgBatch = toggles.enabled("unet.cfg_batch");
  setup.switches.channelsLast = toggles.enabled("unet.channels_last");
  setup.switches.tiledVae = toggles.enabled("vae.tiled");
  setup.switches.halfVae = toggles.enabled("vae.half");
  setup.attention = toggles.enabled("attn.sdpa") ? AttentionKernel::Fused : AttentionKernel::Chunked;
  setup.textCache = toggles.enabled("text.cache");
  setup.cudaGraphs = toggles.enabled("unet.cuda_graphs");
  return setup;
}

void applySystemToggles(const at::Device& device, const OptimizationSet& toggles) {
  if (!device.is_cuda()) return;
  auto& context = at::globalContext();
  context.setBenchmarkCuDNN(toggles.enabled("sys.cudnn_benchmark"));
  context.setAllowTF32CuBLAS(toggles.enabled("sys.tf32"));
  context.setAllowTF32CuDNN(toggles.enabled("sys.tf32"));
}

void setUNetMemoryFormat(LoadedModel& model, bool channelsLast) {
  const auto format = channelsLast ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
  for (auto& parameter : model.unet()->parameters()) {
    if (parameter.dim() == 4 && !parameter.is_contiguous(format)) parameter.set_data(parameter.contiguous(format));
  }
}

}  // namespace celerity
