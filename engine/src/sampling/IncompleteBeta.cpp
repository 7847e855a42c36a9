#include "sampling/IncompleteBeta.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "celerity/Error.h"

namespace celerity {

namespace {

constexpr double kTiny = 1e-300;
constexpr double kEpsilon = 1e-16;
constexpr int kMaxTerms = 1000;

void checkShape(double a, double b, const char* where) {
  if (!(a > 0) || !(b > 0) || !std::isfinite(a) || !std::isfinite(b)) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "beta shape parameters must be finite and positive (a=" +
                            std::to_string(a) + ", b=" + std::to_string(b) + ")",
                        where);
  }
}

// The continued fraction of I_x(a, b) · a · B(a, b) / (x^a (1−x)^b), evaluated with the
// modified Lentz method; converges fast for x < (a + 1) / (a + b + 2).
double betaContinuedFraction(double x, double a, double b) {
  const double qab = a + b;
  const double qap = a + 1.0;
  const double qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= kMaxTerms; ++m) {
    const double m2 = 2.0 * m;
    // Even step.
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    // Odd step.
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) break;
  }
  return h;
}

double logBeta(double a, double b) {
  return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
}

}  // namespace

double regularizedIncompleteBeta(double x, double a, double b) {
  checkShape(a, b, "regularizedIncompleteBeta");
  if (std::isnan(x)) return x;
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double front = std::exp(a * std::log(x) + b * std::log1p(-x) - logBeta(a, b));
  // Use the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges faster.
  if (x < (a + 1.0) / (a + b + 2.0)) return front * betaContinuedFraction(x, a, b) / a;
  return 1.0 - front * betaContinuedFraction(1.0 - x, b, a) / b;
}

double inverseRegularizedIncompleteBeta(double p, double a, double b) {
  checkShape(a, b, "inverseRegularizedIncompleteBeta");
  if (std::isnan(p) || p < 0.0 || p > 1.0) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "probability must lie in [0, 1], got " + std::to_string(p),
                        "inverseRegularizedIncompleteBeta");
  }
  if (p == 0.0) return 0.0;
  if (p == 1.0) return 1.0;
  // The median of a symmetric distribution is exactly 1/2; the iteration below could land an
  // ulp off it, and the beta schedule's rint(ppf · 999) = rint(499.5) depends on that ulp.
  if (a == b && p == 0.5) return 0.5;
  const double lb = logBeta(a, b);
  double lo = 0.0;
  double hi = 1.0;
  double x = 0.5;
  for (int iteration = 0; iteration < 2000; ++iteration) {
    const double f = regularizedIncompleteBeta(x, a, b) - p;
    if (f == 0.0) return x;
    if (f < 0.0) {
      lo = x;
    } else {
      hi = x;
    }
    // Newton step with the density; bisection when it leaves the bracket.
    const double logDensity = (a - 1.0) * std::log(x) + (b - 1.0) * std::log1p(-x) - lb;
    double next = x - f / std::exp(logDensity);
    if (next == x) return x;  // the correction is below the last bit of x
    const bool newton = std::isfinite(next) && next > lo && next < hi;
    if (!newton) next = 0.5 * (lo + hi);
    if (next <= lo || next >= hi) break;  // the bracket is down to adjacent doubles
    const double step = std::fabs(next - x);
    x = next;
    if (newton && step <= 4.0 * std::numeric_limits<double>::epsilon() * x) return x;
  }
  // The answer lies between two adjacent doubles (or beyond what a double can resolve near
  // 0 or 1): take the closer end.
  const double fLo = std::fabs(regularizedIncompleteBeta(lo, a, b) - p);
  const double fHi = std::fabs(regularizedIncompleteBeta(hi, a, b) - p);
  return fLo <= fHi ? lo : hi;
}

}  // namespace celerity
