#include "conditioning/ChunkTextEncoder.h"

#include <utility>

#include <c10/core/InferenceMode.h>

#include "celerity/Error.h"

namespace celerity {

ChunkTextEncoder::ChunkTextEncoder(std::string identity) : identity_(std::move(identity)) {}

EncoderOutput ChunkTextEncoder::encode(const at::Tensor& tokens, const LayerSelection& selection) {
  if (tokens.dim() != 2) {
    throw CelerityError(ErrorCode::InvalidArgument, "text encoder input must be [batch, tokens]",
                        identity_);
  }
  c10::InferenceMode inference;
  ++calls_;
  rows_ += tokens.size(0);
  return run(tokens, selection);
}

}  // namespace celerity
