import Dispatch
import Foundation
import Hummingbird
import Logging
import PeerLensAnalysis
import PeerLensData
import PeerLensReports

/// The interactive explorer behind `peerlens serve`: a national run,
/// computed once, served as pages and JSON by Hummingbird.
///
/// Every number comes from the run (`NationalRun`), read as the packs and
/// `values.csv` read it; what the explorer adds is the choice of comparator
/// group (`ComparatorGroup`, `GroupFigures`), tables of chosen cells and
/// in-process refits of contextual models. No endpoint writes to disk:
/// downloads are built in memory and sent to the client.
///
/// ```swift
/// let explorer = Explorer(run: run, templates: try TemplateSet(folder: reports), software: "PeerLens 0.1.0")
/// try await explorer.application(host: "127.0.0.1", port: 8080).runService()
/// ```
public struct Explorer: Sendable {
  public let run: NationalRun
  public let software: String
  let packPages: PackPageRenderer?
  let benches: [String: IndicatorBench]
  let workbench: WorkbenchEngine
  /// Each indicator's national rank intervals by authority: the packs'
  /// (`PackBuilder.rankIntervals`), computed once.
  let rankIntervals: [String: [String: (lower: Int, upper: Int)]]

  /// - Parameter templates: the pack templates (`Reports/`); without them
  ///   `/pack/<code>.html` answers 404 and pages do not link to packs.
  public init(run: NationalRun, templates: TemplateSet?, software: String) {
    self.run = run
    self.software = software
    self.packPages = templates.map { PackPageRenderer(run: run, templates: $0, software: software, linkAuthorities: true) }
    self.benches = Dictionary(run.indicators.map { ($0.indicator.id, $0) }, uniquingKeysWith: { a, _ in a })
    self.workbench = WorkbenchEngine(run: run)
    self.rankIntervals = packPages?.rankIntervals
      ?? RankUncertainty.intervals(run.indicators)
  }

  /// One authority's figures for an indicator and period, with the rank
  /// interval at the latest period.
  func valueRow(_ bench: IndicatorBench, code: String, period: TimePeriod) -> ValueRow {
    var row = ValueRow(bench: bench, code: code, period: period, run: run)
    if period == bench.latest { row.rankInterval = rankIntervals[bench.indicator.id]?[code] }
    return row
  }

  // MARK: - Looking things up (every lookup of user input goes through here)

  /// A current authority by new or old code, or `nil`. Only letters and
  /// digits are looked up at all.
  static func currentAuthority(_ code: String, run: NationalRun) -> Authority? {
    guard !code.isEmpty, code.count <= 12, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
    if let a = run.registry.authority(code: code.uppercased()), a.isCurrent { return a }
    return run.authorities.first { $0.oldCode == code }
  }

  func authority(_ code: String) throws(ExplorerError) -> Authority {
    guard let a = Self.currentAuthority(code, run: run) else {
      throw .notFound(UnknownAuthority.message(code, run: run))
    }
    return a
  }

  func bench(_ id: String) throws(ExplorerError) -> IndicatorBench {
    guard id.count <= 80, let b = benches[id] else {
      if let refusal = SupplementaryFigure.refusal(for: id) { throw .notFound(refusal.localizedDescription) }
      throw .notFound("No indicator '\(ExplorerText.shown(id))'. The list is at /api/indicators.")
    }
    return b
  }

  /// A period of the indicator from `year=` (`2025`, `202425` or `2024/25`); its latest when absent.
  func period(_ text: String?, _ bench: IndicatorBench) throws(ExplorerError) -> TimePeriod {
    guard let text else {
      guard let p = bench.latest else { throw .notFound("No data for \(bench.indicator.id).") }
      return p
    }
    let code = text.replacingOccurrences(of: "/", with: "")
    guard (4...8).contains(code.count), code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
      throw .badRequest("year= takes a year such as 2025, 202425 or 2024/25.")
    }
    if let p = TimePeriod.named(code, among: bench.periods) { return p }
    let years = bench.periods.map(\.label).joined(separator: ", ")
    throw .notFound("No data for \(bench.indicator.id) in '\(ExplorerText.shown(text))'. Periods with data: \(years).")
  }

  // MARK: - Serving

  /// The routes (documented in README.md, "Explorer"): each a GET, answered
  /// for HEAD too (the same status and headers, no body; `curl -I` was 404).
  public func router() -> Router<BasicRequestContext> {
    let router = Router(options: .autoGenerateHeadEndpoints)
    router.add(middleware: RequestGuard())
    let explorer = self
    router.get("/") { request, _ in try explorer.home(QueryString(request.uri.query)) }
    router.get("/explorer.js") { _, _ in Responses.script(Page.script) }
    router.get("/authority/:code") { request, context in
      try explorer.authorityPage(try PathParameter.decoded(context, "code"), QueryString(request.uri.query))
    }
    router.get("/indicator/:id") { request, context in
      try explorer.indicatorPage(try PathParameter.decoded(context, "id"), QueryString(request.uri.query))
    }
    router.get("/table") { request, _ in try await offload { try explorer.table(QueryString(request.uri.query)) } }
    router.get("/workbench/:id") { request, context in
      let id = try PathParameter.decoded(context, "id")
      return try await offload { try explorer.workbenchPage(id, QueryString(request.uri.query)) }
    }
    router.get("/pack/:file") { _, context in
      let file = try PathParameter.decoded(context, "file")
      return try await offload { try explorer.pack(file) }
    }
    // Where a served pack's links to other packs lead (`../authorities/
    // <code>.html`, as in a written pack folder): the same page.
    router.get("/authorities/:file") { _, context in
      let file = try PathParameter.decoded(context, "file")
      return try await offload { try explorer.pack(file) }
    }
    router.get("/api/authorities") { _, _ in Responses.json(explorer.authoritiesJSON()) }
    router.get("/api/indicators") { _, _ in Responses.json(explorer.indicatorsJSON()) }
    router.get("/api/authority/:code") { request, context in
      let view = try explorer.authorityView(try PathParameter.decoded(context, "code"), QueryString(request.uri.query))
      return Responses.json(view.json)
    }
    router.get("/api/indicator/:id") { request, context in
      let view = try explorer.indicatorView(try PathParameter.decoded(context, "id"), QueryString(request.uri.query))
      return Responses.json(view.json)
    }
    router.get("/api/workbench/:id") { request, context in
      let id = try PathParameter.decoded(context, "id")
      return try await offload { Responses.json(try explorer.workbenchResult(id, QueryString(request.uri.query)).json) }
    }
    return router
  }

  /// The application on `host:port`; `runService()` serves until SIGINT
  /// or SIGTERM, then finishes the requests in flight and returns.
  ///
  /// - Parameters:
  ///   - idleTimeout: how long a connection may stay open without a
  ///     complete request (a head sent a byte at a time counts as none)
  ///     before it is closed; without one, a client that never finishes
  ///     its request holds a connection for good.
  ///   - onRunning: called once the socket is bound, with the port (the one
  ///     the system chose for port 0).
  public func application(host: String = "127.0.0.1", port: Int = 8080, idleTimeout: Duration = .seconds(30),
                          onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    var logger = Logger(label: "peerlens.serve")
    logger.logLevel = .warning
    return Application(router: router(), server: .http1(configuration: .init(idleTimeout: .nanoseconds(Self.nanoseconds(idleTimeout)))),
                       configuration: .init(address: .hostname(host, port: port), serverName: "PeerLens"),
                       onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
  }
}

extension Explorer {
  /// A duration in whole nanoseconds (SwiftNIO's unit).
  static func nanoseconds(_ d: Duration) -> Int64 {
    let (seconds, attoseconds) = d.components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
  }
}

/// Runs CPU-heavy work (a model refit, a pack page) off the cooperative
/// thread pool, so a slow request never holds the threads other requests
/// are answered on.
func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
  }
}
