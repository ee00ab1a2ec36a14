import Foundation

/// Special functions behind the distributions: Loader's saddle-point terms,
/// the regularized incomplete gamma and beta functions.
///
/// Accuracy in the tails is the point. Naive prefactors such as
/// `exp(a·log x − x − lgamma(a))` lose about `log10(a·log a)` digits to
/// cancellation, which for a binomial with n = 25,000 is more than the
/// 1e-12 relative accuracy we promise. Following R's `dbinom_raw` and
/// `dpois_raw` (Loader 2000, "Fast and accurate computation of binomial
/// probabilities"), the prefactors are built from `stirlerr` and `bd0`,
/// which have no such cancellation.
public enum SpecialFunctions {
  static let lnSqrt2Pi = 0.918938533204672741780329736406
  static let ln2Pi = 1.837877066409345483560659472811

  /// `log Γ(x)` for x > 0 (glibc's `lgamma`, accurate to a few ulp).
  @inlinable public static func logGamma(_ x: Double) -> Double { lgamma(x) }

  /// `log B(a, b)`.
  public static func logBeta(_ a: Double, _ b: Double) -> Double {
    lgamma(a) + lgamma(b) - lgamma(a + b)
  }

  /// Stirling's error `log Γ(n+1) − (n + ½) log n + n − log √(2π)`.
  ///
  /// Series for n > 15 (R's `stirlerr`), direct evaluation below.
  public static func stirlingError(_ n: Double) -> Double {
    let s0 = 0.083333333333333333333, s1 = 0.00277777777777777777778
    let s2 = 0.00079365079365079365079365, s3 = 0.000595238095238095238095238
    let s4 = 0.0008417508417508417508417508
    if n <= 15 {
      if n == 0 { return 0 }
      return lgamma(n + 1) - (n + 0.5) * log(n) + n - lnSqrt2Pi
    }
    let nn = n * n
    if n > 500 { return (s0 - s1 / nn) / n }
    if n > 80 { return (s0 - (s1 - s2 / nn) / nn) / n }
    if n > 35 { return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n }
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
  }

  /// Loader's deviance term `x log(x/np) + np − x`, computed without
  /// cancellation when x is close to np.
  public static func bd0(_ x: Double, _ np: Double) -> Double {
    if abs(x - np) < 0.1 * (x + np) {
      var v = (x - np) / (x + np)
      let s0 = (x - np) * v
      var s = s0
      var ej = 2 * x * v
      v = v * v
      var j = 1.0
      while j < 1000 {
        ej *= v
        let s1 = s + ej / (2 * j + 1)
        if s1 == s { return s1 }
        s = s1
        j += 1
      }
      return s
    }
    return x * log(x / np) + np - x
  }

  /// `log(λˣ e^{−λ} / Γ(x + 1))`, without underflow.
  public static func logPoissonDensityRaw(_ x: Double, _ lambda: Double) -> Double {
    if lambda == 0 { return x == 0 ? 0 : -.infinity }
    if x == 0 { return -lambda }
    if x < 0 { return -.infinity }
    return -stirlingError(x) - bd0(x, lambda) - 0.5 * log(2 * Double.pi * x)
  }

  /// `log` of `binomialDensityRaw`, without underflow.
  public static func logBinomialDensityRaw(_ x: Double, _ n: Double, _ p: Double, _ q: Double) -> Double {
    if x == 0 || x == n || p == 0 || q == 0 { return log(binomialDensityRaw(x, n, p, q)) }
    if x < 0 || x > n { return -.infinity }
    let lc = stirlingError(n) - stirlingError(x) - stirlingError(n - x) - bd0(x, n * p) - bd0(n - x, n * q)
    return lc - 0.5 * (ln2Pi + log(x) + log1p(-x / n))
  }

  /// `λˣ e^{−λ} / Γ(x + 1)` for real x ≥ 0 (R's `dpois_raw`).
  public static func poissonDensityRaw(_ x: Double, _ lambda: Double) -> Double {
    if lambda == 0 { return x == 0 ? 1 : 0 }
    if x == 0 { return exp(-lambda) }
    if x < 0 { return 0 }
    return exp(-stirlingError(x) - bd0(x, lambda)) / sqrt(2 * Double.pi * x)
  }

  /// `Γ(n+1)/(Γ(x+1)Γ(n−x+1)) pˣ qⁿ⁻ˣ` for real 0 ≤ x ≤ n (R's `dbinom_raw`).
  /// `q` is passed separately so that `1 − p` is never formed by the caller.
  public static func binomialDensityRaw(_ x: Double, _ n: Double, _ p: Double, _ q: Double) -> Double {
    if p == 0 { return x == 0 ? 1 : 0 }
    if q == 0 { return x == n ? 1 : 0 }
    if x == 0 {
      if n == 0 { return 1 }
      let lc = p < 0.1 ? -bd0(n, n * q) - n * p : n * log(q)
      return exp(lc)
    }
    if x == n {
      let lc = q < 0.1 ? -bd0(n, n * p) - n * q : n * log(p)
      return exp(lc)
    }
    if x < 0 || x > n { return 0 }
    let lc = stirlingError(n) - stirlingError(x) - stirlingError(n - x) - bd0(x, n * p) - bd0(n - x, n * q)
    let lf = ln2Pi + log(x) + log1p(-x / n)
    return exp(lc - 0.5 * lf)
  }

  // MARK: - Incomplete gamma

  /// The regularized incomplete gamma functions `(P(a, x), Q(a, x))`.
  ///
  /// Series for `x < a + 1` (then `Q = 1 − P`), Legendre's continued
  /// fraction (modified Lentz) otherwise (then `P = 1 − Q`); the smaller of
  /// the two is always the one computed directly, so each is accurate to
  /// relative error ~1e-14 even deep in its tail.
  public static func regularizedGamma(_ a: Double, _ x: Double) -> (p: Double, q: Double) {
    precondition(a > 0)
    if x <= 0 { return (0, 1) }
    if x.isInfinite { return (1, 0) }
    if x < a + 1 {
      // P(a,x) = xᵃe⁻ˣ/Γ(a+1) · Σₙ xⁿ / ((a+1)…(a+n))
      let prefix = poissonDensityRaw(a, x)
      var term = 1.0, sum = 1.0, ap = a
      for _ in 0..<100_000 {
        ap += 1
        term *= x / ap
        sum += term
        if term < sum * 1e-17 { break }
      }
      let p = prefix * sum
      return (p, 1 - p)
    }
    // Q(a,x) = xᵃe⁻ˣ/Γ(a) · 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …)))
    let prefix = a * poissonDensityRaw(a, x)
    let tiny = 1e-300
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    var i = 1.0
    while i < 100_000 {
      let an = -i * (i - a)
      b += 2
      d = an * d + b
      if abs(d) < tiny { d = tiny }
      c = b + an / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-16 { break }
      i += 1
    }
    let q = prefix * h
    return (1 - q, q)
  }

  // MARK: - Incomplete beta

  /// The regularized incomplete beta function `(Iₓ(a, b), 1 − Iₓ(a, b))`.
  ///
  /// `y = 1 − x` is an argument in its own right (as in TOMS 708's
  /// `bratio`) so callers holding an accurate `1 − x` (for example
  /// `t²/(ν + t²)`) do not lose it to rounding. The tail below the mean
  /// side is computed directly and the other as its complement.
  ///
  /// The continued fraction is TOMS 708's `bfrac` (Didonato and Morris,
  /// 1992), written in terms of `λ = a − (a + b)x`, which is computed from
  /// whichever of `x` and `y` is the smaller. Why not Numerical Recipes'
  /// form (§6.4), used here before: its first term is `1 − (a + b)x/(a + 1)`,
  /// which cancels when one shape is large and `x` is near the mean, so
  /// `Beta(2, 1e8)` lost seven digits at its upper 2.5% point (the
  /// Clopper–Pearson upper limit of 1 in 1e8). The prefactor is
  /// `betaPrefix`.
  public static func regularizedBeta(_ a: Double, _ b: Double, x: Double, y: Double) -> (w: Double, w1: Double) {
    precondition(a > 0 && b > 0)
    if x <= 0 { return (0, 1) }
    if y <= 0 { return (1, 0) }
    // λ from the smaller of x and y: a − (a + b)x = (a + b)y − b.
    let lambda = a <= b ? a - (a + b) * x : (a + b) * y - b
    if lambda < 0 {
      let w1 = betaContinuedFraction(b, a, x: y, y: x, lambda: -lambda)
      return (1 - w1, w1)
    }
    let w = betaContinuedFraction(a, b, x: x, y: y, lambda: lambda)
    return (w, 1 - w)
  }

  /// `xᵃ yᵇ / B(a, b)`, by Loader's saddle-point form of the binomial
  /// density with `a` and `b` as the two counts: `exp(stirlerr(a + b) −
  /// stirlerr(a) − stirlerr(b) − bd0(a, (a + b)x) − bd0(b, (a + b)y)) ·
  /// √(ab / (2π(a + b)))`. Why not `binomialDensityRaw(a, a + b, x, y)`:
  /// it recovers `b` as `(a + b) − a` and its `log1p(−a/(a + b))` cancels
  /// when `a` is much the larger, which cost `Beta(1e8, 2)` seven digits.
  static func betaPrefix(_ a: Double, _ b: Double, x: Double, y: Double) -> Double {
    let n = a + b
    let lc = stirlingError(n) - stirlingError(a) - stirlingError(b) - bd0(a, n * x) - bd0(b, n * y)
    return exp(lc) * (a * b / n / (2 * Double.pi)).squareRoot()
  }

  /// `Iₓ(a, b)` by TOMS 708's continued fraction `bfrac`, for
  /// `λ = (a + b)y − b ≥ 0` (x at or below the mean), where it converges
  /// in about √(min(a, b)) terms or fewer.
  static func betaContinuedFraction(_ a: Double, _ b: Double, x: Double, y: Double, lambda: Double) -> Double {
    let prefix = betaPrefix(a, b, x: x, y: y)
    if prefix == 0 { return 0 }
    let c = lambda + 1, c0 = b / a, c1 = 1 / a + 1, yp1 = y + 1
    var n = 0.0, p = 1.0, s = a + 1
    var an = 0.0, bn = 1.0, anp1 = 1.0, bnp1 = c / c1
    var r = c1 / c
    while n < 100_000 {
      n += 1
      let t = n / a
      let w = n * (b - n) * x
      var e = a / s
      let alpha = p * (p + c0) * e * e * (w * x)
      e = (t + 1) / (c1 + t + t)
      let beta = n + w / s + e * (c + n * yp1)
      p = t + 1
      s += 2
      (an, anp1) = (anp1, alpha * an + beta * anp1)
      (bn, bnp1) = (bnp1, alpha * bn + beta * bnp1)
      let r0 = r
      r = anp1 / bnp1
      if abs(r - r0) <= 1e-15 * r { break }
      // Rescaled each step so the convergents cannot overflow.
      an /= bnp1
      bn /= bnp1
      anp1 = r
      bnp1 = 1
    }
    return prefix * r
  }
}
