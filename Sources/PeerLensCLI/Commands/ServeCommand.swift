import ArgumentParser
import Dispatch
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensReports
import PeerLensServer

/// `peerlens serve`: the interactive explorer in the browser.
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "An interactive explorer in the browser: authorities, indicators, your own tables and model refits.",
    discussion: """
      Computes the national run once (as 'packs' does), then serves it on a local web server until \
      Ctrl-C. Pages: / (search), /authority/<code>?group=official|model|region|all|custom&members=…, \
      /indicator/<id>?la=<code>&group=…&year=…, /table, /workbench/<id>?vars=…, /pack/<code>.html; \
      the numbers of each as JSON under /api/ (see README.md, "Explorer"). Nothing is written to disk.

      Examples (file and folder names stand for your own):
        peerlens serve
        peerlens serve --port 8090 --data ~/dfe-data
        peerlens serve --vintage 2025-q3 --neighbours 2021

      A connection that sends no complete request for --idle-timeout seconds (30 by default) is \
      closed, so half-sent requests cannot hold the server's connections open.
      """
  )

  @OptionGroup var dataOptions: DataOptions
  @OptionGroup var catalogueOptions: CatalogueOptions

  @Option(name: .long, help: "The address to listen on (default: this machine only).")
  var host: String = "127.0.0.1"

  @Option(name: .long, help: "The port to listen on (0: any free port).")
  var port: Int = 8080

  @Option(name: .customLong("idle-timeout"),
          help: ArgumentHelp("Seconds a connection may stay open with no complete request before it is closed (1 to 3600).",
                             valueName: "seconds"))
  var idleTimeout: Int = 30

  @Option(name: .long, help: ArgumentHelp("The official neighbour list: 2025 (the default), 2021, or a list file in either DfE layout.", valueName: "2021|2025|file"))
  var neighbours: String?

  @Option(name: .long, help: ArgumentHelp("The Models folder (default: found automatically).", valueName: "dir"))
  var models: String?

  @Option(name: .long, help: ArgumentHelp("The Reports folder with templates (default: found automatically).", valueName: "dir"))
  var reports: String?

  func validate() throws {
    guard (0...65_535).contains(port) else { throw ValidationError("--port takes 0 to 65535, got \(port).") }
    guard (1...3_600).contains(idleTimeout) else { throw ValidationError("--idle-timeout takes 1 to 3600 seconds, got \(idleTimeout).") }
    guard !host.isEmpty, host.count <= 255 else { throw ValidationError("--host takes an address such as 127.0.0.1.") }
  }

  func run() throws {
    let mirror = try dataOptions.mirror()
    let catalogue = try catalogueOptions.load()
    let modelsFolder = models.map { URL(fileURLWithPath: $0) } ?? ModelFiles.folder()
    let reportsFolder = reports.map { URL(fileURLWithPath: $0) } ?? ModelFiles.sibling("Reports")
    // A folder without models is answered now, not after the national run.
    try ModelFiles.specifications(in: modelsFolder)
    let neighboursURL = try mirror.officialNeighboursURL(neighbours)
    // A busy port is answered now, not after the national run.
    try PortCheck.requireFree(host: host, port: port)
    printError("peerlens serve: computing indicators, models, funnels and SPC…")
    let run = try NationalRun.compute(mirror: mirror, catalogue: catalogue, models: modelsFolder,
                                      neighboursFile: neighboursURL) { printError("  " + $0) }
    // Pack pages need the templates; the explorer works without them.
    let templates: TemplateSet?
    do { templates = try TemplateSet(folder: reportsFolder) } catch {
      printError("note: no pack pages (\(error.localizedDescription))")
      templates = nil
    }
    let explorer = Explorer(run: run, templates: templates, software: "PeerLens \(PeerLensCommand.version)")
    let host = self.host
    let app = explorer.application(host: host, port: port, idleTimeout: .seconds(Int64(idleTimeout))) { port in
      let shown = host.contains(":") ? "[\(host)]" : host
      // Written straight to the file (not buffered), so a script reading the URL sees it at once.
      FileHandle.standardOutput.write(Data("PeerLens explorer: http://\(shown):\(port)/  (Ctrl-C to stop)\n".utf8))
    }
    do { try Self.wait { try await app.runService() } } catch { throw ServeError.from(error, host: host, port: port) }
    printError("peerlens serve: stopped.")
  }

  /// Runs async work to the end from this synchronous command (the root
  /// command's `main()` is synchronous).
  static func wait(_ work: @escaping @Sendable () async throws -> Void) throws {
    let done = DispatchSemaphore(value: 0)
    let outcome = Outcome()
    Task {
      do { try await work() } catch { outcome.error = error }
      done.signal()
    }
    done.wait()
    if let error = outcome.error { throw error }
  }

  private final class Outcome: @unchecked Sendable {
    var error: Error?
  }
}
