#pragma once
// The regularized incomplete beta function I_x(a, b) and its inverse (scipy's
// beta.cdf / beta.ppf), which the "beta" schedule needs. Written here by hand because no
// Debian-packaged C++ library providing it is used by this project (Boost.Math is not a
// dependency); accuracy is ~1e-14 absolute, far below what rint(ppf · 999) can notice.

namespace celerity {

// I_x(a, b) for a, b > 0 and x in [0, 1] (continued fraction, Lentz's method).
double regularizedIncompleteBeta(double x, double a, double b);

// The x in [0, 1] with I_x(a, b) = p, for p in [0, 1] (Newton steps kept inside a shrinking
// bisection bracket, so it always converges).
double inverseRegularizedIncompleteBeta(double p, double a, double b);

}  // namespace celerity
