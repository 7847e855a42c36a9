#pragma once
// How a job's optimization toggles become engine settings — load options, pipeline switches,
// the attention kernel, CUDA library flags — in one place, so that the engine and the
// self-test configure a run the same way.
#include <ATen/ATen.h>

#include "celerity/Options.h"
#include "models/common/Attention.h"
#include "models/common/WeightLoader.h"
#include "pipeline/StageObserver.h"

namespace celerity {

class LoadedModel;

struct JobSetup {
  LoadOptions load;          // load.mmap, load.parallel, load.pinned_async, unet.half
  PipelineSwitches switches;  // unet.cfg_batch, unet.channels_last, vae.tiled, vae.half
  AttentionKernel attention = AttentionKernel::Fused;  // attn.sdpa
  bool textCache = true;     // text.cache
  bool cudaGraphs = false;   // unet.cuda_graphs (runtime/GraphedUNet.h)
};

DeviceCapabilities capabilitiesOf(const at::Device& device);

// `toggles` should already be restricted to the device (OptimizationSet::restrictTo).
JobSetup jobSetupFor(const OptimizationSet& toggles, const at::Device& device);

// Process-wide CUDA library flags (sys.cudnn_benchmark, sys.tf32); nothing on the CPU.
void applySystemToggles(const at::Device& device, const OptimizationSet& toggles);

// Conv weights in NHWC order (unet.channels_last) or back; only when the state changes.
void setUNetMemoryFormat(LoadedModel& model, bool channelsLast);

}  // namespace celerity
