/// A number carried as the unevaluated sum of two doubles, `hi + lo` with
/// `|lo| ≤ ulp(hi)/2`: about 32 significant digits.
///
/// Least squares on NIST's hardest problem (Filip: a degree-10 polynomial,
/// condition number about 10¹⁰ after scaling) cannot reach nine correct
/// digits from double-precision data, because rounding the decimal inputs
/// and their powers to doubles already perturbs the answer in the eighth
/// digit. Carrying the inputs' low-order parts lets refinement solve the
/// problem the decimal data actually state. Only the few operations that
/// needs are provided (Dekker 1971; Hida, Li and Bailey 2001).
public struct DoubleDouble: Sendable, Equatable {
  public let hi: Double
  public let lo: Double

  public init(_ hi: Double, _ lo: Double = 0) {
    let (s, e) = Compensated.twoSum(hi, lo)
    self.hi = s
    self.lo = e
  }

  public static func + (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
    let (s, e) = Compensated.twoSum(a.hi, b.hi)
    let (t, f) = Compensated.twoSum(a.lo, b.lo)
    let (s2, e2) = Compensated.twoSum(s, e + t)
    return DoubleDouble(s2, e2 + f)
  }

  public static prefix func - (a: DoubleDouble) -> DoubleDouble { DoubleDouble(-a.hi, -a.lo) }

  public static func - (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble { a + (-b) }

  public static func * (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
    let (p, e) = Compensated.twoProduct(a.hi, b.hi)
    return DoubleDouble(p, e + (a.hi * b.lo + a.lo * b.hi))
  }

  public static func / (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
    // Long division: two quotient digits and a correction.
    let q1 = a.hi / b.hi
    let r = a - b * DoubleDouble(q1)
    let q2 = r.hi / b.hi
    let r2 = r - b * DoubleDouble(q2)
    let q3 = r2.hi / b.hi
    return DoubleDouble(q1) + DoubleDouble(q2) + DoubleDouble(q3)
  }

  /// `self` to a non-negative integer power, by repeated squaring.
  public func power(_ n: Int) -> DoubleDouble {
    precondition(n >= 0, "power(_:) takes a non-negative exponent")
    var result = DoubleDouble(1), base = self, k = n
    while k > 0 {
      if k & 1 == 1 { result = result * base }
      base = base * base
      k >>= 1
    }
    return result
  }

  /// The decimal number a CSV cell states, to about 32 digits: `nil` unless
  /// the text is a plain decimal (optional sign, digits, optional point and
  /// fraction, optional exponent). Up to 31 significant digits are kept
  /// exactly; the power of ten is applied in double-double.
  public init?<S: StringProtocol>(decimal text: S) {
    var bytes = Array(text.utf8)[...]
    while let f = bytes.first, f == 0x20 || f == 0x09 { bytes = bytes.dropFirst() }
    while let l = bytes.last, l == 0x20 || l == 0x09 { bytes = bytes.dropLast() }
    var negative = false
    if let f = bytes.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
      negative = f == UInt8(ascii: "-")
      bytes = bytes.dropFirst()
    }
    var mantissa = DoubleDouble(0)
    var digits = 0, significant = 0, scale = 0
    var seenPoint = false
    while let c = bytes.first {
      if c == UInt8(ascii: ".") {
        guard !seenPoint else { return nil }
        seenPoint = true
      } else if c >= 48 && c <= 57 {
        digits += 1
        if significant < 31 {
          if significant > 0 || c != 48 { significant += 1 }
          mantissa = mantissa * DoubleDouble(10) + DoubleDouble(Double(c - 48))
          if seenPoint { scale -= 1 }
        } else if !seenPoint {
          scale += 1  // digits past the 31st before the point: a power of ten
        }
      } else { break }
      bytes = bytes.dropFirst()
    }
    guard digits > 0 else { return nil }
    if let c = bytes.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
      bytes = bytes.dropFirst()
      var expNegative = false
      if let f = bytes.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
        expNegative = f == UInt8(ascii: "-")
        bytes = bytes.dropFirst()
      }
      guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }), bytes.count <= 4 else { return nil }
      let e = bytes.reduce(0) { $0 * 10 + Int($1 - 48) }
      scale += expNegative ? -e : e
      bytes = bytes[bytes.endIndex...]
    }
    guard bytes.isEmpty, abs(scale) <= 300 else { return nil }
    var value = mantissa
    // Powers of ten up to 10²² are exact doubles.
    var k = scale
    while k > 0 { let step = min(k, 22); value = value * DoubleDouble(Self.pow10(step)); k -= step }
    while k < 0 { let step = min(-k, 22); value = value / DoubleDouble(Self.pow10(step)); k += step }
    self = negative ? -value : value
  }

  private static func pow10(_ k: Int) -> Double {
    var p = 1.0
    for _ in 0..<k { p *= 10 }
    return p
  }
}
