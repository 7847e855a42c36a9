#include "models/unet/TimestepEmbedding.h"

#include <cmath>

#include "celerity/Error.h"

namespace celerity {

at::Tensor timestepEmbedding(const at::Tensor& values, std::int64_t dim, double maxPeriod) {
  if (values.dim() != 1 || dim < 2) {
    throw CelerityError(ErrorCode::InvalidArgument, "expects a 1-d tensor of values and dim >= 2",
                        "timestepEmbedding");
  }
  const auto half = dim / 2;
  const auto options = at::TensorOptions().dtype(at::kFloat).device(values.device());
  // Same float32 order of operations as the reference, so large timesteps round alike.
  const auto freqs = at::exp(at::arange(0, half, options) * (-std::log(maxPeriod)) / static_cast<double>(half));
  const auto args = values.to(at::kFloat).unsqueeze(1) * freqs.unsqueeze(0);
  auto embedding = at::cat({at::cos(args), at::sin(args)}, 1);
  if (dim % 2 != 0) embedding = at::cat({embedding, at::zeros({values.size(0), 1}, options)}, 1);
  return embedding;
}

}  // namespace celerity
