// CUDA-only (compiled when LibTorch has CUDA): the `unet.cuda_graphs` executor.
#include <map>
#include <set>
#include <sstream>

#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <spdlog/spdlog.h>

#include "common/Log.h"
#include "runtime/GraphedUNet.h"

namespace celerity {
namespace {

constexpr int kWarmupRuns = 2;  // cuDNN / cuBLAS pick their algorithms before the capture

std::string signatureOf(const at::Tensor& x, const at::Tensor& t, const at::Tensor& context, const at::Tensor& y) {
  std::ostringstream key;
  for (const auto* tensor : {&x, &t, &context, &y}) {
    if (!tensor->defined()) {
      key << "-|";
      continue;
    }
    key << c10::toString(tensor->scalar_type()) << tensor->sizes() << tensor->device() << '|';
  }
  return key.str();
}

// `waiter` runs after what `producer` has queued so far (an event; CUDAStream::wait is 2.x only).
void waitFor(const c10::cuda::CUDAStream& waiter, const c10::cuda::CUDAStream& producer) {
  at::cuda::CUDAEvent event;
  event.record(producer);
  event.block(waiter);
}

at::Tensor staticCopy(const at::Tensor& value) {
  return value.defined() ? value.clone(at::MemoryFormat::Contiguous) : value;
}

class CudaGraphUNet final : public GraphedUNet {
 public:
  at::Tensor forward(UNetModel& unet, const at::Tensor& x, const at::Tensor& t, const at::Tensor& context,
                     const at::Tensor& y) override {
    if (!x.is_cuda()) return unet->forward(x, t, context, y);
    if (unet.get() != owner_) {  // graphs replay one UNet's weights: another UNet starts afresh
      graphs_.clear();
      eager_.clear();
      owner_ = unet.get();
    }
    const auto key = signatureOf(x, t, context, y);
    if (eager_.count(key) != 0) return unet->forward(x, t, context, y);
    auto found = graphs_.find(key);
    if (found == graphs_.end()) {
      auto captured = capture(unet, x, t, context, y);
      if (!captured) {
        eager_.insert(key);
        return unet->forward(x, t, context, y);
      }
      found = graphs_.emplace(key, std::move(captured)).first;
    }
    auto& graph = *found->second;
    graph.x.copy_(x);
    graph.t.copy_(t);
    graph.context.copy_(context);
    if (y.defined()) graph.y.copy_(y);
    graph.graph.replay();
    return graph.out.clone();  // the next replay overwrites the static output
  }

  void setWeightsVersion(const std::string& version) override {
    if (version == version_) return;
    version_ = version;
    graphs_.clear();
    eager_.clear();
  }

  int capturedGraphs() const override { return static_cast<int>(graphs_.size()); }

 private:
  const void* owner_ = nullptr;  // the UNet the graphs were captured from
  struct Graph {
    at::cuda::CUDAGraph graph;
    at::Tensor x, t, context, y, out;
  };

  std::unique_ptr<Graph> capture(UNetModel& unet, const at::Tensor& x, const at::Tensor& t,
                                 const at::Tensor& context, const at::Tensor& y) {
    auto graph = std::make_unique<Graph>();
    graph->x = staticCopy(x);
    graph->t = staticCopy(t);
    graph->context = staticCopy(context);
    graph->y = staticCopy(y);
    try {
      // Capture needs a stream other than the default one; warm-ups run there too.
      auto stream = at::cuda::getStreamFromPool();
      waitFor(stream, at::cuda::getCurrentCUDAStream());
      {
        c10::cuda::CUDAStreamGuard guard(stream);
        for (int i = 0; i < kWarmupRuns; ++i) (void)unet->forward(graph->x, graph->t, graph->context, graph->y);
        graph->graph.capture_begin();
        graph->out = unet->forward(graph->x, graph->t, graph->context, graph->y);
        graph->graph.capture_end();
      }
      waitFor(at::cuda::getCurrentCUDAStream(), stream);
      engineLog()->info("captured a CUDA graph of the UNet for {}", signatureOf(x, t, context, y));
      return graph;
    } catch (const std::exception& e) {
      const std::string what = e.what();
      engineLog()->warn("CUDA graph capture failed, the UNet runs eagerly for this shape: {}",
                        what.substr(0, what.find('\n')));
      return nullptr;
    }
  }

  std::map<std::string, std::unique_ptr<Graph>> graphs_;
  std::set<std::string> eager_;
  std::string version_;
};

}  // namespace

std::unique_ptr<GraphedUNet> makeCudaGraphUNet() { return std::make_unique<CudaGraphUNet>(); }

}  // namespace celerity
