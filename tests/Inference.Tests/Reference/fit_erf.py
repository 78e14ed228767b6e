"""Derives the polynomial coefficients of the CPU backend's erf (src/Inference/Backends/Cpu/ErfMath.cs).

erf is evaluated in double precision and rounded once to fp32, so its own error only has to stay far below
fp32's half ulp (6e-8 relative). Two ranges, each a Chebyshev interpolant of a smooth function on [-1, 1]
(near-minimax, and well conditioned in the monomial basis of the mapped variable):

  |x| < 1:      erf(x) = x * P(w),            w = 2x^2 - 1,     P ~ erf(x)/x            (degree 7)
  1 <= |x| < 4: erf(x) = 1 - exp(-x^2) * Q(u), u = (2|x| - 5)/3, Q ~ exp(x^2) erfc(x)    (degree 13)

and erf(x) = ±1 beyond 4, where 1 - erf(4) = 1.5e-8 already rounds to 1 in fp32. Function values come from
mpmath at 40 digits. Run with `python3 fit_erf.py`; it prints the coefficients (lowest order first), the
largest relative error of the double-precision evaluation below 4, and the largest relative error after
rounding to fp32 (bounded by fp32's half ulp, 6e-8) over a dense grid.
"""

import mpmath
import numpy as np
from numpy.polynomial import chebyshev

mpmath.mp.dps = 40
SMALL_DEGREE = 7
LARGE_DEGREE = 13


def small_target(w: float) -> float:
    t = mpmath.mpf(w + 1) / 2  # x^2
    if t == 0:
        return float(2 / mpmath.sqrt(mpmath.pi))
    x = mpmath.sqrt(t)
    return float(mpmath.erf(x) / x)


def large_target(u: float) -> float:
    x = (3 * mpmath.mpf(u) + 5) / 2
    return float(mpmath.exp(x * x) * mpmath.erfc(x))


def monomials(function, degree: int) -> np.ndarray:
    series = chebyshev.Chebyshev.interpolate(np.vectorize(function), degree)
    return series.convert(kind=np.polynomial.Polynomial).coef


def horner(coefficients: np.ndarray, v: np.ndarray) -> np.ndarray:
    result = np.full_like(v, coefficients[-1])
    for c in coefficients[-2::-1]:
        result = result * v + c
    return result


def evaluate(small: np.ndarray, large: np.ndarray, x: np.ndarray) -> np.ndarray:
    a = np.abs(x)
    near = x * horner(small, 2 * x * x - 1)
    far = np.sign(x) * (1 - np.exp(-x * x) * horner(large, a * (2 / 3) - 5 / 3))
    return np.where(a < 1, near, np.where(a < 4, far, np.sign(x)))


def main() -> None:
    small = monomials(small_target, SMALL_DEGREE)
    large = monomials(large_target, LARGE_DEGREE)
    grid = np.concatenate([np.linspace(1e-6, 6, 30001), np.geomspace(1e-30, 1e-6, 200)])
    exact = np.array([mpmath.erf(v) for v in grid])
    approximate = evaluate(small, large, grid)
    below = grid < 4
    double_error = max(abs((mpmath.mpf(a) - e) / e) for a, e in zip(approximate[below], exact[below]))
    single_error = max(abs((mpmath.mpf(float(np.float32(a))) - e) / e) for a, e in zip(approximate, exact))
    print("small", " ".join(repr(float(c)) for c in small))
    print("large", " ".join(repr(float(c)) for c in large))
    print("max_relative_error_double_below_4", float(double_error))
    print("max_relative_error_fp32", float(single_error))


if __name__ == "__main__":
    main()
