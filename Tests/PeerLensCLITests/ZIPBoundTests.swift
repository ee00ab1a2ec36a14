import Foundation
import Testing
import ZIPFoundation
import PeerLensData
import _PeerLensTestSupport

/// A release ZIP is read with a bound on how far each CSV in it expands,
/// whether its header says so honestly or lies (issue 16: a "ZIP bomb"
/// must not take all memory).
@Suite(.serialized) struct ZIPBoundTests {
  static func zip(_ entries: [(String, Data)]) throws -> Data {
    let url = URL(fileURLWithPath: temporaryPath(".zip"))
    defer { try? FileManager.default.removeItem(at: url) }
    try ImportedHome.makeZIP(url, entries: entries)
    return try Data(contentsOf: url)
  }

  /// Overwrites the uncompressed size (or, with `compressed`, the
  /// compressed size) in every local and central header.
  static func lying(_ data: Data, size: UInt32, compressed: Bool = false) -> Data {
    var bytes = [UInt8](data)
    let le = [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24)]
    var i = 0
    while i + 46 <= bytes.count {
      if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x03, bytes[i + 3] == 0x04 {
        let at = compressed ? i + 18 : i + 22
        bytes.replaceSubrange(at..<at + 4, with: le)
      } else if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x01, bytes[i + 3] == 0x02 {
        let at = compressed ? i + 20 : i + 24
        bytes.replaceSubrange(at..<at + 4, with: le)
      }
      i += 1
    }
    return Data(bytes)
  }

  static let csv = Data(("time_period,value\n" + String(repeating: "2025,1\n", count: 2_000)).utf8)  // 14,018 bytes

  @Test func aMemberUnderTheBoundIsRead() throws {
    let members = try ReleaseImport.csvMembers(of: Self.zip([("a.csv", Self.csv)]), path: "r.zip", limit: 20_000)
    #expect(members.count == 1 && members[0].1 == Self.csv)
  }

  @Test func aMemberDeclaredLargerThanTheBoundIsRefused() throws {
    do {
      _ = try ReleaseImport.csvMembers(of: Self.zip([("a.csv", Self.csv)]), path: "r.zip", limit: 10_000)
      Issue.record("accepted")
    } catch {
      #expect("\(error.localizedDescription)".contains("a.csv expands to more than 10000 bytes"), "\(error)")
    }
  }

  /// The header says 100 bytes; the data expands to 14,018. Extraction
  /// stops at the bound, not at the end of the data.
  @Test func aMemberThatLiesAboutItsSizeIsStoppedAtTheBound() throws {
    let data = Self.lying(try Self.zip([("a.csv", Self.csv)]), size: 100)
    do {
      _ = try ReleaseImport.csvMembers(of: data, path: "r.zip", limit: 10_000)
      Issue.record("accepted")
    } catch {
      #expect(error.localizedDescription.contains("a.csv expands to more than 10000 bytes"), "\(error)")
    }
  }

  @Test func theDefaultBoundIsAGibibyte() {
    #expect(ReleaseImport.maxMemberBytes == 1 << 30)
  }

  /// A header claiming more stored bytes than the file holds is refused at
  /// once; ZIPFoundation would otherwise read empty chunks past the end of
  /// the file for as long as the size says (the ees-zip fuzz target's hang).
  @Test func aMemberClaimingMoreBytesThanTheFileIsRefused() throws {
    let data = Self.lying(try Self.zip([("a.csv", Self.csv)]), size: 2_000_000_000, compressed: true)
    do {
      _ = try ReleaseImport.csvMembers(of: data, path: "r.zip")
      Issue.record("accepted")
    } catch {
      #expect(error.localizedDescription.contains("a.csv claims 2000000000 bytes"), "\(error)")
    }
  }

  /// A size that fits in the file but runs past its end from where the
  /// entry's data starts (a download cut short): refused with the entry's
  /// name, not read chunk by empty chunk (the ees-zip target's second hang,
  /// `Tests/Fuzz/crashes/ees-zip/timeout-18ba…`).
  @Test func aMemberWhoseDataRunsPastTheEndIsRefused() throws {
    let valid = try Self.zip([("a.csv", Self.csv)])
    let data = Self.lying(valid, size: UInt32(valid.count - 10), compressed: true)
    do {
      _ = try ReleaseImport.csvMembers(of: data, path: "r.zip")
      Issue.record("accepted")
    } catch {
      #expect(error.localizedDescription.contains("a.csv claims \(valid.count - 10) bytes"), "\(error)")
      #expect(error.localizedDescription.contains("cut short or damaged"), "\(error)")
    }
  }

  /// A ZIP cut off part-way through an entry's data has no central
  /// directory left: refused, quickly, never a hang.
  @Test func aZIPCutShortIsRefused() throws {
    let valid = try Self.zip([("a.csv", Self.csv), ("b.csv", Self.csv)])
    let cut = valid.prefix(valid.count / 2)
    #expect(throws: ImportError.self) { _ = try ReleaseImport.csvMembers(of: Data(cut), path: "r.zip") }
  }
}

/// Every committed ees-zip input, and a damaged stream, end in an error or
/// a result quickly; a stream cut short is named as such.
@Suite struct ZIPDamageTests {
  @Test func aDeflatedStreamCutShortIsRefusedNotLoopedOn() throws {
    // Deflate a CSV, then replace the second half of its stored bytes with
    // a copy of the first half: sizes and offsets stay consistent, the
    // stream does not end where the header says.
    let valid = try ZIPBoundTests.zip([("a.csv", ZIPBoundTests.csv + Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }))])
    var bytes = [UInt8](valid)
    let start = 30 + 5 + Int(bytes[28]) + Int(bytes[29]) << 8
    guard let end = Self.centralDirectory(bytes) else { Issue.record("no central directory"); return }
    for i in (start + (end - start) / 2)..<end { bytes[i] = 0 }
    do {
      _ = try ReleaseImport.csvMembers(of: Data(bytes), path: "r.zip")
      Issue.record("accepted")
    } catch {
      #expect(error.localizedDescription.contains("a.csv"), "\(error)")
    }
  }

  static func centralDirectory(_ bytes: [UInt8]) -> Int? {
    (0..<(bytes.count - 4)).last { bytes[$0] == 0x50 && bytes[$0 + 1] == 0x4B && bytes[$0 + 2] == 1 && bytes[$0 + 3] == 2 }
  }

  @Test func anEntryWithAWrongCRCIsRefused() throws {
    let valid = try ZIPBoundTests.zip([("a.csv", ZIPBoundTests.csv)])
    var bytes = [UInt8](valid)
    // Flip the CRC in the central directory (offset 16 of its record).
    guard let cd = Self.centralDirectory(bytes) else { Issue.record("no central directory"); return }
    bytes[cd + 16] ^= 0xFF
    do {
      _ = try ReleaseImport.csvMembers(of: Data(bytes), path: "r.zip")
      Issue.record("accepted")
    } catch {
      #expect(error.localizedDescription.contains("a.csv fails its CRC check"), "\(error)")
    }
  }
}
