import Foundation

/// Numerical trouble in a factorization or solve.
///
/// Programmer errors (shapes that internal callers got wrong) trap with a
/// `precondition`; what bad data can cause is thrown as one of these, with
/// a message for people.
public enum LinearAlgebraError: Error, Equatable, LocalizedError, Sendable {
  /// A LAPACK routine returned `info != 0`.
  case lapack(routine: String, info: Int32)
  /// The matrix is singular, or numerically so.
  case singular
  /// Cholesky found a non-positive pivot.
  case notPositiveDefinite(order: Int)
  /// The input contains NaN or infinity.
  case nonFinite
  /// The matrix is so ill-conditioned that results would be noise.
  case illConditioned(conditionNumber: Double)

  public var errorDescription: String? {
    switch self {
    case .lapack(let routine, let info):
      return "LAPACK routine \(routine) failed (info = \(info))."
    case .singular:
      return "The matrix is singular: some columns are exact linear combinations of others."
    case .notPositiveDefinite(let order):
      return "The matrix is not positive definite (leading minor of order \(order) is not positive)."
    case .nonFinite:
      return "The matrix contains NaN or infinite values."
    case .illConditioned(let c):
      return String(format: "The matrix is singular or near-singular (condition number %.4e).", c)
    }
  }
}

/// Turns a LAPACKE `info` into a thrown error.
@inline(__always)
func checkLAPACK(_ routine: String, _ info: Int32) throws(LinearAlgebraError) {
  if info != 0 { throw LinearAlgebraError.lapack(routine: routine, info: info) }
}
