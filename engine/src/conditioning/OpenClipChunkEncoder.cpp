#include "conditioning/OpenClipChunkEncoder.h"

#include <utility>

#include "celerity/Error.h"

namespace celerity {

OpenClipChunkEncoder::OpenClipChunkEncoder(OpenClipTextModel model, std::string identity)
    : ChunkTextEncoder(std::move(identity)), model_(std::move(model)) {
  if (!model_) {
    throw CelerityError(ErrorCode::InvalidArgument, "an OpenCLIP chunk encoder needs a model",
                        this->identity());
  }
  if (model_->config().projectionDim <= 0) {
    throw CelerityError(ErrorCode::WeightMismatch,
                        "SDXL's OpenCLIP encoder needs text_projection for the pooled vector",
                        this->identity());
  }
}

EncoderOutput OpenClipChunkEncoder::run(const at::Tensor& tokens, const LayerSelection&) {
  auto output = model_->forward(tokens);
  return EncoderOutput{output.penultimate, output.pooled};
}

}  // namespace celerity
