import Foundation

/// Results of independent work run on all cores, each kept at its index so
/// the outcome does not depend on which finished first.
///
/// Why a class with a lock: `DispatchQueue.concurrentPerform` gives each
/// iteration its index but no place to put what it made; this is that
/// place, and it also counts completions so progress can be reported as
/// work finishes (progress lines may come in any order; results never do).
public final class IndexedResults<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<Value, Error>?]
  private var done = 0
  /// Called with (number done, index just done) under the lock, so it
  /// never runs twice at once: a caller's progress closure needs no locks.
  private let finished: (Int, Int) -> Void

  public init(count: Int, finished: @escaping (Int, Int) -> Void = { _, _ in }) {
    slots = Array(repeating: nil, count: count)
    self.finished = finished
  }

  /// Stores the result for `index` and reports progress.
  public func set(_ index: Int, _ result: Result<Value, Error>) {
    lock.lock()
    defer { lock.unlock() }
    slots[index] = result
    done += 1
    finished(done, index)
  }

  /// The result stored for one index, or nil before it is set.
  public func result(_ index: Int) -> Result<Value, Error>? {
    lock.lock()
    defer { lock.unlock() }
    return slots[index]
  }

  /// Every value in index order, or the first error in index order.
  public func values() throws -> [Value] {
    lock.lock()
    defer { lock.unlock() }
    return try slots.map { slot in
      guard let slot else { preconditionFailure("IndexedResults read before every index was set") }
      return try slot.get()
    }
  }
}
