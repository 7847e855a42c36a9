#pragma once
// `unet.cuda_graphs`: a UNet executor that captures the forward once per input signature
// (batch, latent size, context length, dtypes) into a CUDA graph with static input buffers
// and replays it at every step. Weights are read in place, so a LoRA merge (in-place writes)
// needs no new capture; anything that moves weights to new memory (channels-last, unmerged
// LoRA hooks, a reload) changes the weights version and drops the graphs. A signature whose
// capture fails runs eagerly from then on (logged once). One executor per model: a call
// with another UNet drops the graphs of the previous one.
#include <memory>
#include <string>

#include "pipeline/UNetExecutor.h"

namespace celerity {

class GraphedUNet : public UNetExecutor {
 public:
  // Drops every captured graph when `version` differs from the last one.
  virtual void setWeightsVersion(const std::string& version) = 0;
  virtual int capturedGraphs() const = 0;
};

// Null when this build's LibTorch has no CUDA.
std::unique_ptr<GraphedUNet> makeCudaGraphUNet();

}  // namespace celerity
