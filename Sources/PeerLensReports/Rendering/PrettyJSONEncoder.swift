import Foundation

/// Encodes a value as Foundation's `JSONEncoder` does with
/// `[.prettyPrinted, .sortedKeys]` and its default strategies, byte for
/// byte: two-space indents, `" : "` after keys, keys in UTF-8 order, `/`
/// escaped, control characters as `\uXXXX` with lower-case hex, doubles as
/// their shortest round-trip text without a trailing `.0`, an error for a
/// value that is not finite.
///
/// Why not `JSONEncoder` itself: the packs' JSON was a twentieth of a
/// national run's CPU, most of it spent casting every value to see whether
/// it is a date, URL or other special type and boxing it. Here numbers and
/// strings are written straight into one byte buffer as they arrive, and
/// containers are small trees of ranges in it, sorted and laid out at the
/// end. `PackJSONTests` checks the bytes against `JSONEncoder` on every
/// pack of a national run and on generated values.
struct PrettyJSONEncoder {
  func encode<T: Encodable>(_ value: T) throws -> Data {
    let state = State()
    let root = Root()
    try state.encode(value, into: .root(root), path: nil)
    var out: [UInt8] = []
    out.reserveCapacity(state.text.count + state.text.count / 2)
    state.write(root.node, depth: 0, to: &out)
    return Data(out)
  }

  /// A value in the tree: text already in JSON form (a range of the
  /// shared buffer), a container, or nothing encoded yet (written `{}`,
  /// as JSONEncoder writes a value that encodes nothing).
  enum Node {
    case text(Range<Int>)
    case array(ArrayBox)
    case object(ObjectBox)
    case empty
  }

  final class ArrayBox { var items: [Node] = [] }
  final class ObjectBox {
    var keys: [String] = []
    var values: [Node] = []
    /// The `CodingKey` type that filled it: objects of one type usually
    /// have the same keys, so their sorted order is worked out once.
    var keyType: ObjectIdentifier?
  }
  final class Root { var node = Node.empty }

  /// Where a value encoded through its own `encode(to:)` goes.
  enum Target {
    case root(Root)
    case item(ArrayBox, Int)
    case member(ObjectBox, Int)

    var node: Node {
      get {
        switch self {
        case .root(let r): return r.node
        case .item(let box, let k): return box.items[k]
        case .member(let box, let k): return box.values[k]
        }
      }
      nonmutating set {
        switch self {
        case .root(let r): r.node = newValue
        case .item(let box, let k): box.items[k] = newValue
        case .member(let box, let k): box.values[k] = newValue
        }
      }
    }
  }

  /// The coding path, built only when asked for (an error, or a value's
  /// own `encode(to:)` reading it): most values never need it.
  final class Path {
    let parent: Path?
    let key: CodingKey

    init(_ parent: Path?, _ key: CodingKey) {
      self.parent = parent
      self.key = key
    }

    static func keys(_ path: Path?) -> [CodingKey] {
      var keys: [CodingKey] = [], p = path
      while let node = p { keys.append(node.key); p = node.parent }
      return keys.reversed()
    }
  }

  /// The buffer every number and string is written into, and the writer.
  final class State {
    var text: [UInt8] = []
    /// The last sorted order of each key type's keys.
    var orders: [ObjectIdentifier: (keys: [String], order: [Int])] = [:]

    init() { text.reserveCapacity(1 << 16) }

    /// The order to write an object's members in: keys in UTF-8 order, a
    /// key encoded twice at its last value (JSONEncoder keeps the last).
    func order(_ box: ObjectBox) -> [Int] {
      if let type = box.keyType, let known = orders[type], known.keys == box.keys { return known.order }
      let sorted = box.keys.indices.sorted { a, b in
        box.keys[a] == box.keys[b] ? a < b : box.keys[a].utf8.lexicographicallyPrecedes(box.keys[b].utf8)
      }
      let order = sorted.indices.filter { n in n + 1 == sorted.count || box.keys[sorted[n + 1]] != box.keys[sorted[n]] }.map { sorted[$0] }
      if let type = box.keyType { orders[type] = (box.keys, order) }
      return order
    }

    func literal(_ s: StaticString) -> Node {
      let start = text.count
      text.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
      return .text(start..<text.count)
    }

    func bool(_ b: Bool) -> Node { b ? literal("true") : literal("false") }

    func number(_ s: String) -> Node {
      let start = text.count
      text.append(contentsOf: s.utf8)
      // 29.0 is written 29, as JSONEncoder writes it.
      if text.count - start >= 2, text[text.count - 2] == UInt8(ascii: "."), text[text.count - 1] == UInt8(ascii: "0") {
        text.removeLast(2)
      }
      return .text(start..<text.count)
    }

    func double(_ x: Double, path: @autoclosure () -> Path?) throws -> Node {
      guard x.isFinite else {
        throw EncodingError.invalidValue(x, .init(codingPath: Path.keys(path()), debugDescription: "Unable to encode Double.\(x) directly in JSON."))
      }
      return number(x.description)
    }

    func float(_ x: Float, path: @autoclosure () -> Path?) throws -> Node {
      guard x.isFinite else {
        throw EncodingError.invalidValue(x, .init(codingPath: Path.keys(path()), debugDescription: "Unable to encode Float.\(x) directly in JSON."))
      }
      return number(x.description)
    }

    /// A string, quoted and escaped as JSONEncoder escapes it.
    func string(_ s: String) -> Node {
      let start = text.count
      State.quote(s, into: &text)
      return .text(start..<text.count)
    }

    static let hex = Array("0123456789abcdef".utf8)

    /// Quotes and escapes: `"`, `\\` and `/` with a backslash, the named
    /// control characters by name, the others as `\u00xx`; runs with
    /// nothing to escape are copied whole.
    static func quote(_ s: String, into out: inout [UInt8]) {
      var s = s
      s.withUTF8 { bytes in
        out.append(UInt8(ascii: "\""))
        var mark = 0
        for i in 0..<bytes.count {
          let byte = bytes[i]
          guard byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x2F else { continue }
          out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[mark..<i]))
          mark = i + 1
          switch byte {
          case 0x22, 0x5C, 0x2F: out.append(0x5C); out.append(byte)
          case 0x08: out.append(0x5C); out.append(UInt8(ascii: "b"))
          case 0x0C: out.append(0x5C); out.append(UInt8(ascii: "f"))
          case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
          case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
          case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
          default:
            out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)]])
          }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[mark...]))
        out.append(UInt8(ascii: "\""))
      }
    }

    /// The node of a value of the common scalar types, or of the few that
    /// JSONEncoder writes specially (as it writes them); nil for others.
    func scalar<T: Encodable>(_ value: T, path: @autoclosure () -> Path?) throws -> Node? {
      if T.self == String.self { return string(value as! String) }
      if T.self == Double.self { return try double(value as! Double, path: path()) }
      if T.self == Int.self { return number((value as! Int).description) }
      if T.self == Bool.self { return bool(value as! Bool) }
      // The other integer widths and Float: their own `encode(to:)` asks a
      // single-value container for them, whose default passes them back
      // here, so they must stop here.
      if T.self == Float.self { return try float(value as! Float, path: path()) }
      if T.self == Int8.self { return number((value as! Int8).description) }
      if T.self == Int16.self { return number((value as! Int16).description) }
      if T.self == Int32.self { return number((value as! Int32).description) }
      if T.self == Int64.self { return number((value as! Int64).description) }
      if T.self == UInt.self { return number((value as! UInt).description) }
      if T.self == UInt8.self { return number((value as! UInt8).description) }
      if T.self == UInt16.self { return number((value as! UInt16).description) }
      if T.self == UInt32.self { return number((value as! UInt32).description) }
      if T.self == UInt64.self { return number((value as! UInt64).description) }
      if T.self == URL.self { return string((value as! URL).absoluteString) }
      if T.self == Data.self { return string((value as! Data).base64EncodedString()) }
      if T.self == Decimal.self { return number((value as! Decimal).description) }
      return nil
    }

    /// Encodes `value` into `target`, through its own `encode(to:)`
    /// unless it is a scalar.
    func encode<T: Encodable>(_ value: T, into target: Target, path: @autoclosure () -> Path?) throws {
      if let node = try scalar(value, path: path()) {
        target.node = node
      } else {
        try value.encode(to: Writer(state: self, target: target, path: path()))
      }
    }

    /// Writes a node at `depth` (its first line already indented).
    func write(_ node: Node, depth: Int, to out: inout [UInt8]) {
      func indent(_ d: Int) { for _ in 0..<d { out.append(0x20); out.append(0x20) } }
      switch node {
      case .text(let r):
        out.append(contentsOf: text[r])
      case .array(let box):
        out.append(UInt8(ascii: "["))
        out.append(0x0A)
        for (k, item) in box.items.enumerated() {
          if k > 0 { out.append(UInt8(ascii: ",")); out.append(0x0A) }
          indent(depth + 1)
          write(item, depth: depth + 1, to: &out)
        }
        out.append(0x0A)
        indent(depth)
        out.append(UInt8(ascii: "]"))
      case .object(let box):
        out.append(UInt8(ascii: "{"))
        out.append(0x0A)
        var first = true
        for k in order(box) {
          if !first { out.append(UInt8(ascii: ",")); out.append(0x0A) }
          first = false
          indent(depth + 1)
          State.quote(box.keys[k], into: &out)
          out.append(0x20); out.append(UInt8(ascii: ":")); out.append(0x20)
          write(box.values[k], depth: depth + 1, to: &out)
        }
        out.append(0x0A)
        indent(depth)
        out.append(UInt8(ascii: "}"))
      case .empty:
        write(.object(ObjectBox()), depth: depth, to: &out)
      }
    }
  }

  /// The `Encoder` handed to a value's `encode(to:)`.
  struct Writer: Encoder {
    let state: State
    let target: Target
    let path: Path?
    var codingPath: [CodingKey] { Path.keys(path) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
      let box: ObjectBox
      if case .object(let existing) = target.node { box = existing } else {
        box = ObjectBox()
        box.keyType = ObjectIdentifier(Key.self)
        target.node = .object(box)
      }
      return KeyedEncodingContainer(Keyed<Key>(state: state, box: box, path: path))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
      let box: ArrayBox
      if case .array(let existing) = target.node { box = existing } else {
        box = ArrayBox()
        target.node = .array(box)
      }
      return Unkeyed(state: state, box: box, path: path)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { Single(state: state, target: target, path: path) }
  }

  struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let state: State
    let box: ObjectBox
    let path: Path?
    var codingPath: [CodingKey] { Path.keys(path) }

    private func add(_ key: Key, _ node: Node) {
      box.keys.append(key.stringValue)
      box.values.append(node)
    }

    /// A member to be filled by a value's own `encode(to:)`.
    private func member(_ key: Key) -> Target {
      add(key, .empty)
      return .member(box, box.values.count - 1)
    }

    mutating func encodeNil(forKey key: Key) throws { add(key, state.literal("null")) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { add(key, state.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { add(key, state.string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { add(key, try state.double(value, path: Path(path, key))) }
    mutating func encode(_ value: Float, forKey key: Key) throws { add(key, try state.float(value, path: Path(path, key))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { add(key, state.number(value.description)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
      if let node = try state.scalar(value, path: Path(path, key)) { add(key, node); return }
      try value.encode(to: Writer(state: state, target: member(key), path: Path(path, key)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
      Writer(state: state, target: member(key), path: Path(path, key)).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
      Writer(state: state, target: member(key), path: Path(path, key)).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder {
      let key = AnyKey("super")
      box.keys.append(key.stringValue)
      box.values.append(.empty)
      return Writer(state: state, target: .member(box, box.values.count - 1), path: Path(path, key))
    }

    mutating func superEncoder(forKey key: Key) -> Encoder {
      Writer(state: state, target: member(key), path: Path(path, key))
    }
  }

  struct Unkeyed: UnkeyedEncodingContainer {
    let state: State
    let box: ArrayBox
    let path: Path?
    var codingPath: [CodingKey] { Path.keys(path) }
    var count: Int { box.items.count }

    /// An item to be filled by a value's own `encode(to:)`.
    private func item() -> Target {
      box.items.append(.empty)
      return .item(box, box.items.count - 1)
    }

    private func key() -> AnyKey { AnyKey(index: box.items.count) }

    mutating func encodeNil() throws { box.items.append(state.literal("null")) }
    mutating func encode(_ value: Bool) throws { box.items.append(state.bool(value)) }
    mutating func encode(_ value: String) throws { box.items.append(state.string(value)) }
    mutating func encode(_ value: Double) throws { box.items.append(try state.double(value, path: Path(path, key()))) }
    mutating func encode(_ value: Float) throws { box.items.append(try state.float(value, path: Path(path, key()))) }
    mutating func encode(_ value: Int) throws { box.items.append(state.number(value.description)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
      if let node = try state.scalar(value, path: Path(path, key())) { box.items.append(node); return }
      let index = box.items.count
      try value.encode(to: Writer(state: state, target: item(), path: Path(path, AnyKey(index: index))))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
      let index = box.items.count
      return Writer(state: state, target: item(), path: Path(path, AnyKey(index: index))).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
      let index = box.items.count
      return Writer(state: state, target: item(), path: Path(path, AnyKey(index: index))).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder {
      let index = box.items.count
      return Writer(state: state, target: item(), path: Path(path, AnyKey(index: index)))
    }
  }

  struct Single: SingleValueEncodingContainer {
    let state: State
    let target: Target
    let path: Path?
    var codingPath: [CodingKey] { Path.keys(path) }

    mutating func encodeNil() throws { target.node = state.literal("null") }
    mutating func encode(_ value: Bool) throws { target.node = state.bool(value) }
    mutating func encode(_ value: String) throws { target.node = state.string(value) }
    mutating func encode(_ value: Double) throws { target.node = try state.double(value, path: path) }
    mutating func encode(_ value: Float) throws { target.node = try state.float(value, path: path) }
    mutating func encode(_ value: Int) throws { target.node = state.number(value.description) }
    mutating func encode<T: Encodable>(_ value: T) throws { try state.encode(value, into: target, path: path) }
  }

  /// A coding key for paths in errors and the `super` key.
  struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string; intValue = nil }
    init(index: Int) { stringValue = "Index \(index)"; intValue = index }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(index: intValue) }
  }
}
