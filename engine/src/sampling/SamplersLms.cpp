// Linear multistep (k-diffusion sample_lms): the last `order` derivatives define a Lagrange
// polynomial in sigma, integrated exactly over [sigma_i, sigma_{i+1}].
#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "celerity/Error.h"
#include "sampling/SamplerSupport.h"
#include "sampling/Samplers.h"

namespace celerity {

namespace {

// ∫ from t[i] to t[i+1] of the Lagrange basis polynomial of node t[i−j] over the nodes
// t[i], t[i−1], …, t[i−order+1]. The reference integrates it with scipy quad, which is exact
// for these low degrees; here the polynomial is expanded and integrated term by term.
double multistepCoefficient(int order, const Sigmas& t, int i, int j) {
  std::vector<double> poly{1.0};  // coefficients of tau^0, tau^1, …
  for (int k = 0; k < order; ++k) {
    if (k == j) continue;
    const double root = t[i - k];
    const double scale = 1.0 / (t[i - j] - root);
    std::vector<double> next(poly.size() + 1, 0.0);
    for (std::size_t p = 0; p < poly.size(); ++p) {
      next[p + 1] += poly[p] * scale;
      next[p] -= poly[p] * root * scale;
    }
    poly.swap(next);
  }
  const double a = t[i];
  const double b = t[i + 1];
  double integral = 0.0;
  double powA = a;
  double powB = b;
  for (std::size_t p = 0; p < poly.size(); ++p) {
    integral += poly[p] * (powB - powA) / static_cast<double>(p + 1);
    powA *= a;
    powB *= b;
  }
  return integral;
}

}  // namespace

at::Tensor sampleLms(const Denoiser& model, at::Tensor x, const Sigmas& sigmas, StepSink& sink,
                     const SamplerOptions& options) {
  const int steps = sampling::stepCount(sigmas, "lms");
  if (options.lmsOrder < 1) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "LMS order must be at least 1, got " + std::to_string(options.lmsOrder),
                        "lms");
  }
  std::deque<at::Tensor> derivatives;  // newest last
  for (int i = 0; i < steps; ++i) {
    const auto denoised = sampling::denoise(model, x, sigmas[i], sink);
    derivatives.push_back(sampling::toD(x, denoised, sigmas[i]));
    if (static_cast<int>(derivatives.size()) > options.lmsOrder) derivatives.pop_front();
    sink.report(i, steps, x, denoised, sigmas[i]);
    if (options.flavor == SamplerFlavor::ComfyUI && sigmas[i + 1] == 0.0) {
      x = denoised;  // ComfyUI (PR #8780): the final step returns the denoised estimate
      continue;
    }
    const int order = std::min(i + 1, options.lmsOrder);
    at::Tensor update;
    for (int j = 0; j < order; ++j) {
      const auto term = derivatives[derivatives.size() - 1 - j] *
                        multistepCoefficient(order, sigmas, i, j);
      update = update.defined() ? update + term : term;
    }
    x = x + update;
  }
  return x;
}

}  // namespace celerity
