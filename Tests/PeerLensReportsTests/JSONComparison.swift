import Foundation

/// Compares two JSON documents, numbers to a relative tolerance and
/// everything else exactly.
///
/// Why not the bytes: a snapshot's seventeen-digit numbers carry the last
/// bits of OpenBLAS's arithmetic, and OpenBLAS picks its kernels by the
/// processor it runs on, so the same pack model differs in its fifteenth
/// digit between two machines (seen: 438.46541615798293 here, …407 on an
/// AMD EPYC with AVX-512). A difference in the tenth digit is still a change.
enum JSONComparison {
  /// Where the two documents differ, as paths such as `indicators[3].expected`,
  /// the first `limit` of them.
  static func differences(_ a: Data, _ b: Data, relative: Double = 1e-9, limit: Int = 10) throws -> [String] {
    let x = try JSONSerialization.jsonObject(with: a, options: [.fragmentsAllowed])
    let y = try JSONSerialization.jsonObject(with: b, options: [.fragmentsAllowed])
    var found: [String] = []
    compare(x, y, path: "", relative: relative, limit: limit, into: &found)
    return found
  }

  private static func compare(_ x: Any, _ y: Any, path: String, relative: Double, limit: Int, into found: inout [String]) {
    guard found.count < limit else { return }
    switch (x, y) {
    case let (p as [String: Any], q as [String: Any]):
      guard p.keys.sorted() == q.keys.sorted() else {
        found.append("\(path): keys \(p.keys.sorted()) against \(q.keys.sorted())")
        return
      }
      for key in p.keys.sorted() {
        compare(p[key]!, q[key]!, path: path.isEmpty ? key : "\(path).\(key)", relative: relative, limit: limit, into: &found)
      }
    case let (p as [Any], q as [Any]):
      guard p.count == q.count else {
        found.append("\(path): \(p.count) items against \(q.count)")
        return
      }
      for (k, (u, v)) in zip(p, q).enumerated() {
        compare(u, v, path: "\(path)[\(k)]", relative: relative, limit: limit, into: &found)
      }
    case let (p as String, q as String):
      if p != q { found.append("\(path): \"\(p)\" against \"\(q)\"") }
    case let (p as NSNumber, q as NSNumber):
      let u = p.doubleValue, v = q.doubleValue
      if abs(u - v) > relative * max(abs(u), abs(v)) { found.append("\(path): \(u) against \(v)") }
    case (is NSNull, is NSNull):
      break
    default:
      found.append("\(path): \(type(of: x)) against \(type(of: y))")
    }
  }
}
