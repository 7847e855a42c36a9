// Samplers and schedules without reference files: name lookup (ComfyUI and A1111 names,
// errors for unknown ones), cancellation, the seeded default noise, limits (a zero denoiser
// ends at 0), convergence of every deterministic sampler to the same ODE solution, and the
// incomplete beta function behind the "beta" schedule.
#include <atomic>
#include <cmath>
#include <string>
#include <vector>

#include <ATen/CPUGeneratorImpl.h>
#include <QTest>

#include "celerity/Error.h"
#include "sampling/DiscreteSchedule.h"
#include "sampling/IncompleteBeta.h"
#include "sampling/NoiseSource.h"
#include "sampling/SamplerRegistry.h"
#include "sampling/Samplers.h"
#include "sampling/ScheduleRegistry.h"
#include "sampling/Schedules.h"

using celerity::CelerityError;
using celerity::DiscreteSchedule;
using celerity::ErrorCode;
using celerity::SamplerOptions;
using celerity::Sigmas;
using celerity::StepSink;

namespace {

// A smooth stand-in for a model (the golden's analytic denoiser), sigma per batch item.
at::Tensor analyticDenoiser(const at::Tensor& x, const at::Tensor& sigma) {
  const auto s = sigma.to(x.dtype()).view({-1, 1, 1, 1});
  return (x * 0.8) / at::sqrt(1.0 + s * s) + 0.1 * at::tanh(x);
}

at::Tensor initialLatent(double sigma) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(1234);
  return at::randn({2, 4, 8, 8}, generator, at::TensorOptions().dtype(at::kFloat)) * sigma;
}

double maxAbs(const at::Tensor& t) { return t.abs().max().item<double>(); }

// Runs `fn` and returns the error code it throws (Invalid when it throws nothing).
template <typename Fn>
ErrorCode errorOf(Fn&& fn, std::string* message = nullptr) {
  try {
    fn();
  } catch (const CelerityError& e) {
    if (message) *message = e.what();
    return e.code();
  }
  return ErrorCode::Invalid;
}

}  // namespace

class TestSamplers : public QObject {
  Q_OBJECT

 private:
  DiscreteSchedule model_ = DiscreteSchedule::scaledLinear();
  c10::InferenceMode inference_;

 private slots:
  void samplersByComfyAndA1111Names() {
    const std::vector<std::pair<std::string, std::string>> pairs = {
        {"Euler a", "euler_ancestral"}, {"Euler", "euler"},         {"DPM++ 2M", "dpmpp_2m"},
        {"DPM++ 2M SDE", "dpmpp_2m_sde"}, {"LMS", "lms_kdiffusion"}, {"Heun", "heun"},
        {"DPM2", "dpm_2"},              {"DPM2 a", "dpm_2_ancestral"},
        {"DPM++ 2S a", "dpmpp_2s_ancestral"}, {"DPM++ SDE", "dpmpp_sde"}, {"LCM", "lcm"},
        {"DDIM", "ddim"},               {"UniPC", "uni_pc"},        {"DPM++ 3M SDE", "dpmpp_3m_sde"},
    };
    for (const auto& [a1111, comfy] : pairs) {
      QCOMPARE(celerity::findSampler(a1111).name, comfy);
      QCOMPARE(celerity::findSampler(comfy).name, comfy);
    }
    QCOMPARE(celerity::findSampler("lms").name, std::string("lms"));  // ComfyUI's ending
    QCOMPARE(celerity::findSampler("euler a").name, std::string("euler_ancestral"));
    for (const auto& info : celerity::samplerRegistry()) {
      QCOMPARE(celerity::findSampler(info.name).name, info.name);
      if (!info.a1111Name.empty()) QCOMPARE(celerity::findSampler(info.a1111Name).name, info.name);
    }
  }

  void unknownSamplerListsValidNames() {
    std::string message;
    QCOMPARE(errorOf([] { celerity::findSampler("Euler b"); }, &message),
             ErrorCode::InvalidArgument);
    QVERIFY2(message.find("Euler b") != std::string::npos, message.c_str());
    QVERIFY2(message.find("dpmpp_2m") != std::string::npos, message.c_str());
    QVERIFY2(message.find("DPM++ 2M") != std::string::npos, message.c_str());
  }

  void schedulesByName() {
    const std::vector<std::pair<std::string, std::string>> pairs = {
        {"Automatic", "normal"}, {"normal", "normal"},   {"discrete_uniform", "normal"},
        {"Karras", "karras"},    {"karras", "karras"},   {"exponential", "exponential"},
        {"sgm_uniform", "sgm_uniform"}, {"SGM Uniform", "sgm_uniform"}, {"simple", "simple"},
        {"ddim_uniform", "ddim_uniform"}, {"beta", "beta"}, {"KL Optimal", "kl_optimal"},
        {"legacy_ddpm", "legacy_ddpm"},
    };
    for (const auto& [name, canonical] : pairs) QCOMPARE(celerity::findSchedule(name).name, canonical);
    std::string message;
    QCOMPARE(errorOf([] { celerity::findSchedule("karas"); }, &message), ErrorCode::InvalidArgument);
    QVERIFY2(message.find("karras") != std::string::npos, message.c_str());
    QVERIFY2(message.find("Automatic") != std::string::npos, message.c_str());
  }

  void schedulesDescendToZero() {
    for (const auto& info : celerity::scheduleRegistry()) {
      for (int steps : {1, 2, 7, 30}) {
        const Sigmas sigmas = info.compute(model_, steps, {});
        const std::string what = info.name + " n" + std::to_string(steps);
        QVERIFY2(sigmas.size() >= 2, what.c_str());
        QVERIFY2(sigmas.back() == 0.0, what.c_str());
        QVERIFY2(sigmas.front() <= model_.sigmaMax() * (1 + 1e-5), what.c_str());
        for (std::size_t i = 1; i < sigmas.size(); ++i) QVERIFY2(sigmas[i] <= sigmas[i - 1], what.c_str());
        if (info.name != "ddim_uniform" && info.name != "beta") {
          QVERIFY2(sigmas.size() == static_cast<std::size_t>(steps) + 1, what.c_str());
        }
      }
    }
    QCOMPARE(errorOf([&] { celerity::computeSchedule("karras", model_, 0); }),
             ErrorCode::InvalidArgument);
  }

  void discreteScheduleMaps() {
    QCOMPARE(model_.size(), std::int64_t(1000));
    QCOMPARE(model_.sigmaOf(0), model_.sigmaMin());
    QCOMPARE(model_.sigmaOf(999), model_.sigmaMax());
    for (std::int64_t t : {0, 1, 250, 500, 998, 999}) {
      QVERIFY(std::abs(model_.timestepOf(model_.sigmaOf(t)) - static_cast<double>(t)) < 1e-3);
      QCOMPARE(model_.nearestTimestep(model_.sigmaOf(t)), t);
      QVERIFY(std::abs(model_.sigmaAt(static_cast<double>(t)) / model_.sigmaOf(t) - 1) < 1e-6);
    }
    // Between entries both directions interpolate log sigma linearly.
    const double mid = model_.sigmaAt(250.25);
    QVERIFY(std::abs(model_.timestepOf(mid) - 250.25) < 1e-3);
    QVERIFY(mid > model_.sigmaOf(250) && mid < model_.sigmaOf(251));
    // The three flavours of the SD table agree to float rounding (float32 ᾱ moves the
    // smallest sigmas most: ~1e-5 relative, < 1e-6 absolute).
    for (auto flavor : {celerity::SigmaTableFlavor::CompVis, celerity::SigmaTableFlavor::Sgm}) {
      const auto other = DiscreteSchedule::scaledLinear(flavor);
      QVERIFY((other.sigmas() - model_.sigmas()).abs().max().item<double>() < 2e-6);
    }
    QCOMPARE(errorOf([] { DiscreteSchedule(at::tensor({2.0, 1.0})); }), ErrorCode::InvalidArgument);
  }

  void dpm2DropsThePenultimateSigma() {
    const auto& dpm2 = celerity::findSampler("dpm_2");
    const Sigmas sigmas = celerity::samplerSigmas(dpm2, "karras", model_, 10);
    Sigmas expected = celerity::karrasSigmas(11, model_.sigmaMin(), model_.sigmaMax());
    expected.erase(expected.end() - 2);
    QCOMPARE(sigmas, expected);
    QCOMPARE(celerity::samplerSigmas(celerity::findSampler("euler"), "karras", model_, 10),
             celerity::karrasSigmas(10, model_.sigmaMin(), model_.sigmaMax()));
  }

  // A cancel set during a step's report ends the run before its next model call.
  void cancelStopsEverySampler() {
    const Sigmas sigmas = celerity::karrasSigmas(6, model_.sigmaMin(), model_.sigmaMax());
    for (const auto& info : celerity::samplerRegistry()) {
      std::atomic<bool> cancel{false};
      int callsAfterCancel = 0;
      int reports = 0;
      celerity::Denoiser model = [&](const at::Tensor& x, const at::Tensor& sigma) {
        if (cancel.load()) ++callsAfterCancel;
        return analyticDenoiser(x, sigma);
      };
      StepSink sink;
      sink.cancel = &cancel;
      sink.onStep = [&](int step, int, const at::Tensor&, const at::Tensor&, double) {
        ++reports;
        if (step == 1) cancel = true;
      };
      SamplerOptions options;
      options.seed = 3;
      const auto code = errorOf(
          [&] { info.sample(model, initialLatent(sigmas[0]), sigmas, sink, options); });
      QVERIFY2(code == ErrorCode::Cancelled, info.name.c_str());
      QVERIFY2(callsAfterCancel == 0, info.name.c_str());
      QVERIFY2(reports == 2, info.name.c_str());
    }
  }

  void defaultNoiseIsSeeded() {
    const auto like = at::zeros({1, 4, 8, 8});
    auto a = celerity::seededNoise(like, 77);
    auto b = celerity::seededNoise(like, 77);
    auto c = celerity::seededNoise(like, 78);
    const auto a1 = a(1, 0.5);
    const auto a2 = a(0.5, 0.25);
    QVERIFY(at::equal(a1, b(1, 0.5)));
    QVERIFY(at::equal(a2, b(0.5, 0.25)));
    QVERIFY(!at::equal(a1, a2));
    QVERIFY(!at::equal(a1, c(1, 0.5)));
    QCOMPARE(a1.sizes(), like.sizes());

    const Sigmas sigmas = celerity::karrasSigmas(8, model_.sigmaMin(), model_.sigmaMax());
    StepSink sink;
    SamplerOptions options;
    options.seed = 5;
    const auto x0 = initialLatent(sigmas[0]);
    const auto first = celerity::sampleEulerAncestral(analyticDenoiser, x0, sigmas, sink, options);
    const auto second = celerity::sampleEulerAncestral(analyticDenoiser, x0, sigmas, sink, options);
    options.seed = 6;
    const auto other = celerity::sampleEulerAncestral(analyticDenoiser, x0, sigmas, sink, options);
    QVERIFY(at::equal(first, second));
    QVERIFY(!at::equal(first, other));
  }

  void zeroDenoiserEndsAtZero() {
    const Sigmas sigmas = celerity::karrasSigmas(10, model_.sigmaMin(), model_.sigmaMax());
    const celerity::Denoiser zero = [](const at::Tensor& x, const at::Tensor&) {
      return at::zeros_like(x);
    };
    const auto x0 = initialLatent(sigmas[0]);
    StepSink sink;
    QVERIFY(maxAbs(celerity::sampleEuler(zero, x0, sigmas, sink)) < 1e-5);
    for (const auto& info : celerity::samplerRegistry()) {
      SamplerOptions options;
      options.seed = 11;
      const double end = maxAbs(info.sample(zero, x0, sigmas, sink, options));
      QVERIFY2(end < 1e-3 * maxAbs(x0), (info.name + " ends at " + std::to_string(end)).c_str());
    }
  }

  // With eta 0 every sampler but LCM integrates the same probability-flow ODE. On schedules
  // that stop at sigma_min (no jump to 0) each must approach a 4000-step Heun solution, and
  // doubling the steps must shrink its error by its order: ≥ 1.7× for the Euler-type
  // first-order steps, ≥ 3× for the others. (UniPC and LMS lower their order on the last
  // steps, as the references do, so their overall order is about 2 as well.)
  void deterministicSamplersConverge() {
    Sigmas fine = celerity::karrasSigmas(4000, model_.sigmaMin(), model_.sigmaMax());
    fine.pop_back();
    const auto x0 = initialLatent(fine[0]);
    StepSink sink;
    SamplerOptions options;
    options.eta = 0.0;
    const auto reference = celerity::sampleHeun(analyticDenoiser, x0, fine, sink, options);
    const double scale = maxAbs(reference);
    const auto errorWith = [&](const celerity::SamplerInfo& info, int steps) {
      Sigmas sigmas = celerity::karrasSigmas(steps, model_.sigmaMin(), model_.sigmaMax());
      sigmas.pop_back();
      return maxAbs(info.sample(analyticDenoiser, x0, sigmas, sink, options) - reference) / scale;
    };
    std::string failures;
    for (const auto& info : celerity::samplerRegistry()) {
      if (info.name == "lcm") continue;  // a consistency model step, not an ODE solver
      const double coarse = errorWith(info, 24);
      const double finer = errorWith(info, 48);
      const bool firstOrder = info.name == "euler" || info.name == "euler_ancestral" ||
                              info.name == "ddim";
      qInfo("%-20s relative error %.3g at 24 steps, %.3g at 48", info.name.c_str(), coarse, finer);
      if (coarse > (firstOrder ? 6e-2 : 1.2e-2) || coarse / finer < (firstOrder ? 1.7 : 3.0)) {
        failures += " " + info.name;
      }
    }
    QVERIFY2(failures.empty(), failures.c_str());
  }

  void incompleteBeta() {
    using celerity::inverseRegularizedIncompleteBeta;
    using celerity::regularizedIncompleteBeta;
    for (double x : {0.0, 1e-6, 0.1, 0.37, 0.5, 0.81, 0.999, 1.0}) {
      QVERIFY(std::abs(regularizedIncompleteBeta(x, 1, 1) - x) < 1e-14);
      QVERIFY(std::abs(regularizedIncompleteBeta(x, 2.5, 1) - std::pow(x, 2.5)) < 1e-13);
      QVERIFY(std::abs(regularizedIncompleteBeta(x, 1, 3.5) - (1 - std::pow(1 - x, 3.5))) < 1e-13);
      // Integer parameters: a binomial tail, I_x(2, 3) = Σ_{j=2..4} C(4, j) x^j (1−x)^(4−j).
      const double y = 1 - x;
      const double binomial = 6 * x * x * y * y + 4 * x * x * x * y + x * x * x * x;
      QVERIFY(std::abs(regularizedIncompleteBeta(x, 2, 3) - binomial) < 1e-13);
      QVERIFY(std::abs(regularizedIncompleteBeta(x, 0.6, 0.9) +
                       regularizedIncompleteBeta(1 - x, 0.9, 0.6) - 1) < 1e-13);
    }
    QCOMPARE(regularizedIncompleteBeta(0.5, 0.6, 0.6), 0.5);
    QCOMPARE(inverseRegularizedIncompleteBeta(0.5, 0.6, 0.6), 0.5);
    for (double a : {0.3, 0.6, 1.0, 2.0, 7.5}) {
      for (double b : {0.4, 0.6, 1.0, 3.0}) {
        for (double p : {1e-9, 1e-3, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999, 1 - 1e-9}) {
          const double x = inverseRegularizedIncompleteBeta(p, a, b);
          QVERIFY(x >= 0 && x <= 1);
          // Exact to 1e-12, or as exact as double x allows where the density is steep: the
          // neighbouring representable values must bracket p.
          const double below = regularizedIncompleteBeta(std::nextafter(std::nextafter(x, 0.0), 0.0), a, b);
          const double above = regularizedIncompleteBeta(std::nextafter(std::nextafter(x, 1.0), 1.0), a, b);
          const bool exact = std::abs(regularizedIncompleteBeta(x, a, b) - p) < 1e-12;
          QVERIFY2(exact || (below <= p && p <= above),
                   (std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(p)).c_str());
        }
      }
    }
    QCOMPARE(errorOf([] { inverseRegularizedIncompleteBeta(1.5, 1, 1); }), ErrorCode::InvalidArgument);
  }

  void badInputIsRejected() {
    StepSink sink;
    const auto x = at::zeros({1, 4, 8, 8});
    QCOMPARE(errorOf([&] { celerity::sampleEuler(analyticDenoiser, x, {}, sink); }),
             ErrorCode::InvalidArgument);
    QCOMPARE(errorOf([&] { celerity::sampleEuler(analyticDenoiser, x, {1.0, -1.0}, sink); }),
             ErrorCode::InvalidArgument);
    SamplerOptions options;
    options.noise = [](double, double) { return at::zeros({3}); };
    QCOMPARE(errorOf([&] { celerity::sampleLcm(analyticDenoiser, x, {1.0, 0.5, 0.0}, sink, options); }),
             ErrorCode::InvalidArgument);
    // No steps: the input comes back unchanged.
    QVERIFY(at::equal(celerity::sampleDpmpp2m(analyticDenoiser, x, {1.0}, sink), x));
  }
};

QTEST_GUILESS_MAIN(TestSamplers)
#include "tst_samplers.moc"
