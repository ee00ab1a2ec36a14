/// Error-free transformations and compensated sums.
///
/// Least-squares refinement needs residuals `y − Xb` computed to about
/// twice working precision, because the whole point is to see the part of
/// the residual that rounding in double precision hides. These helpers
/// implement Knuth's TwoSum and an FMA-based TwoProduct, and a dot product
/// accumulated in double-double (Ogita, Rump and Oishi 2005, "Dot2").
public enum Compensated {
  /// `a + b = s + e` exactly (Knuth's TwoSum).
  @inlinable
  public static func twoSum(_ a: Double, _ b: Double) -> (sum: Double, error: Double) {
    let s = a + b
    let bb = s - a
    let e = (a - (s - bb)) + (b - bb)
    return (s, e)
  }

  /// `a × b = p + e` exactly (with a fused multiply-add).
  @inlinable
  public static func twoProduct(_ a: Double, _ b: Double) -> (product: Double, error: Double) {
    let p = a * b
    let e = (-p).addingProduct(a, b)
    return (p, e)
  }

  /// `c + Σ aᵢbᵢ` evaluated as if in twice working precision, then rounded.
  ///
  /// - Complexity: O(n), about 10 flops per term.
  public static func dot(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>,
                         stride: Int = 1, startingAt c: Double = 0, negate: Bool = false) -> Double {
    var s = c
    var comp = 0.0
    let sign = negate ? -1.0 : 1.0
    var ia = 0
    for i in 0..<b.count {
      let (p, pe) = twoProduct(sign * a[ia], b[i])
      let (t, te) = twoSum(s, p)
      s = t
      comp += pe + te
      ia += stride
    }
    return s + comp
  }

  /// `Σ aᵢbᵢ` of two arrays, in twice working precision.
  public static func dot(_ a: [Double], _ b: [Double]) -> Double {
    a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in dot(ap, bp) } }
  }

  /// The sum of `values`, accumulated with Neumaier's compensation.
  public static func sum<C: Collection>(_ values: C) -> Double where C.Element == Double {
    var s = 0.0
    var comp = 0.0
    for v in values {
      let (t, e) = twoSum(s, v)
      s = t
      comp += e
    }
    return s + comp
  }
}
