import CLAPACKE
import Dispatch
import Foundation
import PeerLensNumerics

/// All-subsets selection of linear models over up to 15 candidate
/// variables, each subset scored by AIC, BIC and leave-one-out
/// cross-validated error.
///
/// Leave-one-out needs no refits: for least squares the deleted residual
/// is eᵢ/(1 − hᵢ) (the PRESS identity), with hᵢ the leverage from the
/// thin Q of the subset's QR. The intercept, always included, is taken
/// out by centring y and the candidates once: the hat matrix of [1, X] is
/// 11ᵀ/n plus that of the centred X, so each subset is one LAPACK
/// `dgeqrf` on a copy of its centred columns (one column fewer, and better
/// conditioned) into a workspace reused across subsets; the 2ᵏ subsets
/// are split over all cores.
///
/// - Complexity: O(2ᵏ n p²) flops.
public struct AllSubsetsSelection: Sendable {
  /// One scored subset.
  public struct Model: Sendable, Equatable {
    /// Indices into the candidate list.
    public let variables: [Int]
    public let rss: Double
    public let aic: Double
    public let bic: Double
    /// Mean squared leave-one-out prediction error (PRESS / n).
    public let looMSE: Double
    public let rSquared: Double
  }

  public let candidateNames: [String]
  /// Every subset (including the intercept-only model), sorted by AIC.
  public let models: [Model]
  /// Each candidate's inclusion probability: the sum of the Akaike weights
  /// exp(−ΔAIC/2) (normalised) of the subsets that contain it.
  public let inclusion: [Double]
  public let observations: Int

  public enum SelectionError: Error, LocalizedError, Equatable, Sendable {
    case tooManyCandidates(Int)
    case tooFewObservations(observations: Int, parameters: Int)
    case nonFinite
    /// A candidate with one value for every unit: it is aliased with the
    /// intercept in every subset, so no subset with it can be scored.
    case constantCandidate(String)

    public var errorDescription: String? {
      switch self {
      case .tooManyCandidates(let k): return "All-subsets selection takes at most 15 candidate variables (got \(k))."
      case .tooFewObservations(let n, let p):
        return "Too few observations (\(n)) for the largest model (\(p) parameters)."
      case .nonFinite: return "The data contain NaN or infinite values (or values so large that their differences overflow)."
      case .constantCandidate(let name):
        return "The candidate '\(name)' has the same value for every authority used, so it cannot explain differences "
          + "between them and no model with it can be fitted: leave it out of the candidates."
      }
    }
  }

  /// Scores every subset of the columns of `candidates` for `y ~ 1 + subset`.
  public init(candidates: Matrix, names: [String], response y: [Double]) throws(SelectionError) {
    let n = candidates.rows, k = candidates.columns
    guard k <= 15 else { throw .tooManyCandidates(k) }
    guard n > k + 2 else { throw .tooFewObservations(observations: n, parameters: k + 1) }
    guard candidates.storage.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { throw .nonFinite }
    let subsetCount = 1 << k
    let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let chunk = (subsetCount + workers - 1) / workers
    var results = [Model?](repeating: nil, count: subsetCount)
    let meanY = y.reduce(0, +) / Double(n)
    let centredY = y.map { $0 - meanY }
    let tss = centredY.reduce(0) { $0 + $1 * $1 }
    // Each candidate centred and scaled to unit length. The fits, their
    // residuals and leverages do not depend on a column's scale, but the
    // rank check does: it compares R's diagonal with its largest entry, so
    // a column of percentages beside one of pounds in the billions read as
    // aliased, and every subset with both was dropped without a word.
    var centring = candidates
    for j in 0..<k {
      let column = candidates.column(j)
      let mean = column.reduce(0, +) / Double(n)
      let centredColumn = column.map { $0 - mean }
      // The length without squaring overflow or underflow (values of 1e200
      // or 1e-200): scaled by the largest magnitude first.
      let largest = centredColumn.reduce(0) { max($0, abs($1)) }
      guard largest.isFinite else { throw .nonFinite }
      // One value throughout, or differences lost in rounding (below a
      // millionth of a millionth of the values themselves).
      let magnitude = column.reduce(0) { max($0, abs($1)) }
      guard largest > 1e-12 * magnitude else { throw .constantCandidate(names.indices.contains(j) ? names[j] : "column \(j + 1)") }
      let length = largest * centredColumn.reduce(0) { $0 + ($1 / largest) * ($1 / largest) }.squareRoot()
      for i in 0..<n { centring[i, j] = centredColumn[i] / length }
    }
    let centred = centring
    results.withUnsafeMutableBufferPointer { out in
      let outBase = out.baseAddress!
      nonisolated(unsafe) let shared = outBase
      DispatchQueue.concurrentPerform(iterations: workers) { w in
        let start = w * chunk, end = min(subsetCount, start + chunk)
        guard start < end else { return }
        var scorer = SubsetScorer(x: centred, y: centredY, tss: tss)
        for mask in start..<end { shared[mask] = scorer.score(mask: mask) }
      }
    }
    let models = results.compactMap { $0 }.sorted { $0.aic < $1.aic || ($0.aic == $1.aic && $0.variables.count < $1.variables.count) }
    self.models = models
    self.candidateNames = names
    self.observations = n
    // Akaike weights over all subsets give each variable's inclusion probability.
    let best = models.first?.aic ?? 0
    let weights = models.map { exp(-0.5 * ($0.aic - best)) }
    let total = weights.reduce(0, +)
    var inclusion = [Double](repeating: 0, count: k)
    for (m, w) in zip(models, weights) { for v in m.variables { inclusion[v] += w / total } }
    self.inclusion = inclusion
  }

  /// Scores subsets with reusable buffers (one per worker).
  struct SubsetScorer {
    let x: Matrix
    let y: [Double]
    let tss: Double
    var a: [Double]
    var tau: [Double]
    var q: [Double]
    var fitted: [Double]
    var coefficients: [Double]
    var leverage: [Double]
    /// LAPACK workspace, sized once by a workspace query: the `_work`
    /// entry points then neither allocate nor re-scan the input for NaN
    /// (checked once for all subsets by the caller) on each of the 2ᵏ calls.
    var work: [Double]

    init(x: Matrix, y: [Double], tss: Double) {
      self.x = x
      self.y = y
      self.tss = tss
      let n = x.rows, p = x.columns + 1
      a = [Double](repeating: 0, count: n * p)
      tau = [Double](repeating: 0, count: p)
      q = [Double](repeating: 0, count: n * p)
      fitted = [Double](repeating: 0, count: n)
      coefficients = [Double](repeating: 0, count: p)
      leverage = [Double](repeating: 0, count: n)
      var size1 = 0.0, size2 = 0.0
      // SAFETY: lwork = −1 is a size query; only the first work entry is written.
      _ = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, Int32(n), Int32(p), nil, Int32(n), nil, &size1, -1)
      _ = LAPACKE_dorgqr_work(LAPACK_COL_MAJOR, Int32(n), Int32(p), Int32(p), nil, Int32(n), nil, &size2, -1)
      work = [Double](repeating: 0, count: max(1, Int(max(size1, size2, Double(p)))))
    }

    mutating func score(mask: Int) -> Model? {
      let n = x.rows
      var vars: [Int] = []
      for j in 0..<x.columns where mask & (1 << j) != 0 { vars.append(j) }
      let p = vars.count
      let nn = Double(n)
      func model(rss: Double, press: Double) -> Model {
        // Parameters: the p slopes, the intercept and the variance.
        let logLik = -0.5 * nn * (log(2 * Double.pi) + 1 - log(nn) + log(rss))
        return Model(variables: vars, rss: rss, aic: -2 * logLik + 2 * Double(p + 2),
                     bic: -2 * logLik + log(nn) * Double(p + 2), looMSE: press / nn, rSquared: 1 - rss / tss)
      }
      if p == 0 {
        // Intercept only: residuals are the centred y, every leverage 1/n.
        let shrink = 1 - 1 / nn
        return model(rss: tss, press: y.reduce(0) { $0 + ($1 / shrink) * ($1 / shrink) })
      }
      // A = X_S (centred), column-major.
      a.withUnsafeMutableBufferPointer { ap in
        x.storage.withUnsafeBufferPointer { xs in
          for (c, j) in vars.enumerated() {
            (ap.baseAddress! + c * n).update(from: xs.baseAddress! + j * n, count: n)
          }
        }
      }
      // SAFETY: a is n×p column-major (lda = n) inside a buffer of n×(k+1).
      let lwork = Int32(work.count)
      let info = a.withUnsafeMutableBufferPointer { ap in
        tau.withUnsafeMutableBufferPointer { tp in
          work.withUnsafeMutableBufferPointer { wp in
            LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, Int32(n), Int32(p), ap.baseAddress, Int32(n), tp.baseAddress,
                                wp.baseAddress, lwork)
          }
        }
      }
      guard info == 0 else { return nil }
      // Rank check on R's diagonal (relative to the largest).
      var maxDiag = 0.0
      for k in 0..<p { maxDiag = max(maxDiag, abs(a[k * n + k])) }
      for k in 0..<p where abs(a[k * n + k]) <= 1e-10 * maxDiag { return nil }
      // Thin Q (n×p) for leverage and residuals.
      q.withUnsafeMutableBufferPointer { qp in
        a.withUnsafeBufferPointer { ap in qp.baseAddress!.update(from: ap.baseAddress!, count: n * p) }
      }
      let info2 = q.withUnsafeMutableBufferPointer { qp in
        tau.withUnsafeBufferPointer { tp in
          work.withUnsafeMutableBufferPointer { wp in
            LAPACKE_dorgqr_work(LAPACK_COL_MAJOR, Int32(n), Int32(p), Int32(p), qp.baseAddress, Int32(n),
                                tp.baseAddress, wp.baseAddress, lwork)
          }
        }
      }
      guard info2 == 0 else { return nil }
      // Fitted = Q Qᵀ y; residual e = y − fitted; leverage h = ‖Q row‖²,
      // accumulated a column of Q at a time (contiguous, vectorisable).
      var rss = 0.0, press = 0.0
      q.withUnsafeBufferPointer { qp in
        y.withUnsafeBufferPointer { yp in
          fitted.withUnsafeMutableBufferPointer { fp in
            leverage.withUnsafeMutableBufferPointer { hp in
              for i in 0..<n { fp[i] = 0; hp[i] = 1 / nn }
              // Qᵀy in one BLAS call (a vectorised reduction; a scalar loop
              // is bound by the latency of its serial additions).
              coefficients.withUnsafeMutableBufferPointer { cp in
                cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(p), 1.0, qp.baseAddress, Int32(n),
                            yp.baseAddress, 1, 0.0, cp.baseAddress, 1)
              }
              for c in 0..<p {
                let col = qp.baseAddress! + c * n
                let coef = coefficients[c]
                for i in 0..<n {
                  fp[i] += col[i] * coef
                  hp[i] += col[i] * col[i]
                }
              }
              for i in 0..<n {
                let e = yp[i] - fp[i]
                rss += e * e
                let d = e / (1 - hp[i])
                press += d * d
              }
            }
          }
        }
      }
      return model(rss: rss, press: press)
    }
  }
}
