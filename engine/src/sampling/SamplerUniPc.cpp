// UniPC (Zhao et al. 2023), multistep predictor-corrector with data prediction, as ComfyUI's
// comfy/extra_samplers/uni_pc.py runs it on k-diffusion sigmas: time is sigma itself, the
// state is the VP-scaled x / sqrt(1 + sigma²), alpha = 1 / sqrt(1 + sigma²),
// std = sigma / sqrt(1 + sigma²), lambda = −log sigma, and the data prediction is D.
#include <algorithm>
#include <cmath>
#include <deque>
#include <utility>
#include <vector>

#include <ATen/ATen.h>

#include "celerity/Error.h"
#include "sampling/SamplerSupport.h"
#include "sampling/Samplers.h"

namespace celerity {

namespace {

constexpr double kFinalSigma = 0.001;  // ComfyUI's stand-in for a final sigma of 0

double alphaOf(double sigma) { return 1.0 / std::sqrt(1.0 + sigma * sigma); }
double stdOf(double sigma) { return sigma / std::sqrt(1.0 + sigma * sigma); }
double lambdaOf(double sigma) { return -std::log(sigma); }

// Solves the n×n system a·x = b (n ≤ 3) by Gaussian elimination with partial pivoting.
std::vector<double> solve(std::vector<std::vector<double>> a, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t row = col + 1; row < n; ++row) {
      if (std::fabs(a[row][col]) > std::fabs(a[pivot][col])) pivot = row;
    }
    if (a[pivot][col] == 0.0) {
      throw CelerityError(ErrorCode::InvalidArgument, "singular UniPC system (repeated sigmas?)",
                          "uni_pc");
    }
    std::swap(a[col], a[pivot]);
    std::swap(b[col], b[pivot]);
    for (std::size_t row = col + 1; row < n; ++row) {
      const double f = a[row][col] / a[col][col];
      for (std::size_t k = col; k < n; ++k) a[row][k] -= f * a[col][k];
      b[row] -= f * b[col];
    }
  }
  std::vector<double> x(n);
  for (std::size_t i = n; i-- > 0;) {
    double sum = b[i];
    for (std::size_t k = i + 1; k < n; ++k) sum -= a[i][k] * x[k];
    x[i] = sum / a[i][i];
  }
  return x;
}

struct UniPcState {
  const Denoiser& model;
  StepSink& sink;
  UniPcVariant variant;
  std::deque<at::Tensor> outputs;  // data predictions, newest last
  std::deque<double> times;        // their sigmas

  // Data prediction at VP state x: D(x · sqrt(1 + sigma²), sigma).
  at::Tensor predict(const at::Tensor& x, double sigma) {
    return sampling::denoise(model, x / alphaOf(sigma), sigma, sink);
  }

  // One UniPC-bh step from times.back() to `sigma` of the given order; returns the new state
  // and, when the corrector ran, the model output at it (else undefined).
  std::pair<at::Tensor, at::Tensor> update(const at::Tensor& x, double sigma, int order,
                                           bool useCorrector) {
    const double sigmaPrev = times.back();
    const at::Tensor& modelPrev = outputs.back();
    const double h = lambdaOf(sigma) - lambdaOf(sigmaPrev);

    std::vector<double> rks;
    std::vector<at::Tensor> d1s;
    for (int i = 1; i < order; ++i) {
      const double rk = (lambdaOf(times[times.size() - 1 - i]) - lambdaOf(sigmaPrev)) / h;
      rks.push_back(rk);
      d1s.push_back((outputs[outputs.size() - 1 - i] - modelPrev) / rk);
    }
    rks.push_back(1.0);

    const double hh = -h;
    const double hPhi1 = std::expm1(hh);
    const double bH = variant == UniPcVariant::Bh1 ? hh : std::expm1(hh);
    std::vector<std::vector<double>> r(order, std::vector<double>(order));
    std::vector<double> b(order);
    double hPhiK = std::expm1(hh) / hh - 1.0;
    double factorial = 1.0;
    for (int i = 1; i <= order; ++i) {
      for (int k = 0; k < order; ++k) r[i - 1][k] = std::pow(rks[k], i - 1);
      b[i - 1] = hPhiK * factorial / bH;
      factorial *= (i + 1);
      hPhiK = hPhiK / hh - 1.0 / factorial;
    }

    const double alphaT = alphaOf(sigma);
    const auto xBase = x * (stdOf(sigma) / stdOf(sigmaPrev)) - modelPrev * (alphaT * hPhi1);
    at::Tensor xT = xBase;
    if (!d1s.empty()) {
      std::vector<double> rhosP{0.5};  // order 2 uses the simplified predictor
      if (order != 2) {
        std::vector<std::vector<double>> rp(order - 1, std::vector<double>(order - 1));
        for (int i = 0; i < order - 1; ++i) {
          for (int k = 0; k < order - 1; ++k) rp[i][k] = r[i][k];
        }
        rhosP = solve(rp, std::vector<double>(b.begin(), b.end() - 1));
      }
      at::Tensor residual = d1s[0] * rhosP[0];
      for (std::size_t k = 1; k < d1s.size(); ++k) residual = residual + d1s[k] * rhosP[k];
      xT = xBase - residual * (alphaT * bH);
    }
    if (!useCorrector) return {xT, at::Tensor()};

    const std::vector<double> rhosC = order == 1 ? std::vector<double>{0.5} : solve(r, b);
    const auto modelT = predict(xT, sigma);
    at::Tensor correction = (modelT - modelPrev) * rhosC.back();
    for (std::size_t k = 0; k < d1s.size(); ++k) correction = correction + d1s[k] * rhosC[k];
    return {xBase - correction * (alphaT * bH), modelT};
  }

  void push(const at::Tensor& output, double sigma, std::size_t keep) {
    outputs.push_back(output);
    times.push_back(sigma);
    while (outputs.size() > keep) {
      outputs.pop_front();
      times.pop_front();
    }
  }
};

}  // namespace

at::Tensor sampleUniPc(const Denoiser& model, at::Tensor x, const Sigmas& sigmas, StepSink& sink,
                       const SamplerOptions& options) {
  const int steps = sampling::stepCount(sigmas, "uni_pc");
  if (steps == 0) return x;
  if (steps == 1) {
    // The reference needs two steps for its first update; one step is plain Euler (= DDIM).
    return sampleEuler(model, std::move(x), sigmas, sink, SamplerOptions{});
  }
  Sigmas times = sigmas;
  if (times.back() == 0.0) times.back() = kFinalSigma;
  const int order = std::min(3, steps - 1);
  UniPcState state{model, sink, options.uniPcVariant, {}, {}};

  // Reports in k-diffusion scale: the VP state divided by alpha at its sigma.
  const auto report = [&](int step, const at::Tensor& xVp, double sigma) {
    sink.report(step, steps, xVp / alphaOf(sigma), state.outputs.back(), sigma);
  };

  at::Tensor xVp = x * alphaOf(times[0]);
  for (int stepIndex = 0; stepIndex < steps; ++stepIndex) {
    if (stepIndex == 0) {
      state.push(state.predict(xVp, times[0]), times[0], order);
      report(0, xVp, times[0]);
    } else if (stepIndex < order) {
      // Warm-up: lower-order updates until enough history exists.
      auto [next, output] = state.update(xVp, times[stepIndex], stepIndex, true);
      xVp = next;
      state.push(output, times[stepIndex], order);
      report(stepIndex, xVp, times[stepIndex]);
    } else {
      const int last = stepIndex == steps - 1 ? steps : stepIndex;
      for (int step = stepIndex; step <= last; ++step) {
        const int stepOrder = std::min(order, steps + 1 - step);
        const bool useCorrector = step != steps;
        auto [next, output] = state.update(xVp, times[step], stepOrder, useCorrector);
        xVp = next;
        if (step < steps) state.push(output, times[step], order);  // the last needs none
      }
      report(stepIndex, xVp, times[std::min(last, steps)]);
    }
  }
  return xVp / alphaOf(times.back());
}

}  // namespace celerity
