import Foundation
import PeerLensData
import PeerLensAnalysis
import PeerLensStatistics

/// Every sentence a pack says, in one place, in neutral words: "higher
/// than expected given the area's context", "outside the 99.8% limit" —
/// never a verdict on the authority.
enum Phrases {
  static func position(_ position: String?) -> String? {
    switch position {
    case "above_99.8"?: return "Higher than expected given the area's context; outside the 99.8% prediction limit."
    case "above_95"?: return "Higher than expected given the area's context; outside the 95% but inside the 99.8% prediction limit."
    case "below_99.8"?: return "Lower than expected given the area's context; outside the 99.8% prediction limit."
    case "below_95"?: return "Lower than expected given the area's context; outside the 95% but inside the 99.8% prediction limit."
    case "within"?: return "Within the range expected given the area's context."
    default: return nil
    }
  }

  /// A value whose own counts give a different figure from the one DfE
  /// published beside them (issue 21.4): said plainly, not corrected.
  static func inconsistentAtSource(published: String, count: String, denominator: String, computed: String) -> String {
    "Inconsistent at source: the published figure (\(published)) does not match the counts published with it "
      + "(\(count) of \(denominator) gives \(computed)); one of them was probably revised. "
      + "The published figure is shown; the counts are left out of the funnel limits and the contextual model."
  }

  static func funnel(_ flag: String?) -> String? {
    switch flag {
    case "above_99.8"?: return "Compared with England before context: above the funnel's 99.8% limit."
    case "above_95"?: return "Compared with England before context: above the 95% limit, inside the 99.8% limit."
    case "below_99.8"?: return "Compared with England before context: below the funnel's 99.8% limit."
    case "below_95"?: return "Compared with England before context: below the 95% limit, inside the 99.8% limit."
    case "within"?: return "Compared with England before context: within the funnel limits."
    default: return nil
    }
  }

  /// Why a point drawn beyond a funnel line is not called outside it:
  /// the lines are normal approximations, and at a few children (or
  /// full-time equivalents) the exact chance of the figure is larger
  /// than the line's own.
  static func chanceTail(_ tail: Double, line: FunnelPlot.Flag) -> String {
    func percent(_ p: Double) -> String { NumberFormat.plain(p * 100, decimals: p >= 0.01 ? 1 : 2) }
    let (level, own) = line.isOutside998 ? ("99.8%", "0.1%") : ("95%", "2.5%")
    let side = [.above95, .above998].contains(line) ? "above" : "below"
    return "Its point is drawn beyond the \(level) line, an approximation that does not hold for a figure resting on "
      + "so few: by chance alone, a figure at least this far \(side) England's has a probability of \(percent(tail))%, "
      + "more than the line's \(own), so it is not called outside that limit."
  }

  static func missing(_ status: ValueStatus, period: String) -> String {
    switch status {
    case .missing(.suppressed):
      return "The value for \(period) is suppressed (a small count), so no comparison is made."
    case .zeroDenominator:
      return "There is no denominator for \(period), so no value can be shown."
    default:
      return "No value is published for \(period) (\(status.words)), so no comparison is made."
    }
  }

  static func spc(_ flags: [String], variation: String) -> String? {
    guard !flags.isEmpty else { return nil }
    var parts: [String] = []
    if flags.contains("astronomical") { parts.append("the latest point is outside the process limits") }
    if flags.contains("shift") { parts.append("the latest point is part of a run of seven or more on one side of the average") }
    if flags.contains("trend") { parts.append("the latest point is part of seven or more consecutive rises or falls") }
    if flags.contains("two_of_three") { parts.append("two of the last three points are close to a process limit") }
    // Plain words first; "special-cause variation" is the glossary's term.
    // The direction in neutral words: the SPC convention's "improvement"
    // and "concern" (kept as the data's `variation` field) read as a
    // verdict on the authority, which a pack never gives.
    let direction: String
    switch variation {
    case "improvement": direction = " (in the direction the indicator's polarity marks as better)"
    case "concern": direction = " (in the direction the indicator's polarity marks as worse)"
    default: direction = ""
    }
    return "Over time: \(parts.joined(separator: "; ")), which is unusual against the authority's own history\(direction)."
  }

  /// Fewer than this many children counted makes a rate unstable: the
  /// public health convention (PHE's fingertips tools, for example, warn on
  /// rates from fewer than 10 events).
  static let smallCount = 10.0
  /// A percentage of fewer than this many children moves several points
  /// with one child.
  static let smallDenominator = 20.0

  /// A note for a rate or percentage resting on small numbers, or nil.
  ///
  /// - Parameters:
  ///   - counts, denominatorCounts: what the two count (the catalogue's
  ///     `counts` and `denominator_counts`): referrals, sessions or
  ///     full-time-equivalent social workers are not children.
  static func smallNumbers(numerator: Double?, denominator: Double?, counts: CountNoun = .children,
                           denominatorCounts: CountNoun? = nil) -> String? {
    // FTEs are fractions: 4.4 social workers, not "4".
    func shown(_ x: Double) -> String { NumberFormat.plain(x, decimals: x == x.rounded() ? 0 : 1) }
    if let n = numerator, n < smallCount {
      return "Small numbers: this figure counts \(shown(n)) \(counts.word(for: n)), so one or two more or fewer move it a lot; read it with its interval and over several years."
    }
    if let d = denominator, d < smallDenominator {
      let noun = denominatorCounts ?? counts
      return "Small numbers: this figure is a share of \(shown(d)) \(noun.word(for: d)), so each \(noun.one) moves it by \(NumberFormat.plain(100 / max(d, 1), decimals: 0)) percentage points or more; read it with its interval and over several years."
    }
    return nil
  }

  /// An absence rate's sessions belong to few pupils: one pupil's
  /// absence moves it a lot, however many sessions it counts.
  static func smallNumbers(pupils: Double) -> String? {
    guard pupils < smallDenominator else { return nil }
    let n = NumberFormat.plain(pupils, decimals: 0)
    return "Small numbers: this figure is the absence of \(n) \(pupils == 1 ? "pupil" : "pupils"), so one pupil often away moves it a lot; read it with its interval and over several years."
  }

  static func ordinal(_ n: Int) -> String {
    let words = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                 "eleventh", "twelfth", "thirteenth"]
    return n < words.count ? words[n] : "\(n)th"
  }

  // Stand-out statements (neutral, no question) and the questions the
  // learning prompts add to them: `StandOut.prompt` joins the two.

  static func persistentFunnelStatement(title: String, above: Bool, years: Int) -> String {
    "\(title): \(above ? "above" : "below") the funnel's 99.8% limit for the \(ordinal(years)) year running"
  }

  static func funnelStatement(title: String, above: Bool, period: String) -> String {
    "\(title): \(above ? "above" : "below") the funnel's 99.8% limit against England before context in \(period)"
  }

  static func spcPointStatement(title: String, high: Bool) -> String {
    "\(title): the latest point is unusually \(high ? "high" : "low") against the authority's own history (outside its process limits)"
  }

  static func spcCloseStatement(title: String, high: Bool) -> String {
    "\(title): two of the last three points are close to the authority's \(high ? "upper" : "lower") process limit "
      + "(beyond two-thirds of the way from its average), more than its usual year-to-year variation would often give"
  }

  static let spcPointQuestion = "what was different this period?"

  /// Where the 95% prediction interval covers most of the observed range.
  static let wideContextInterval =
    "The range expected given the area's context covers most of the range seen across authorities, so being inside it says little."

  static func contextStatement(title: String, above: Bool) -> String {
    "\(title): \(above ? "higher" : "lower") than the area's deprivation, ethnicity, housing and rurality predict (outside the 99.8% prediction limit)"
  }

  static let contextQuestion = "which local factors or practices not captured by these might explain the difference?"

  static func spcTrendStatement(title: String, rising: Bool, points: Int) -> String {
    "\(title): a sustained \(rising ? "rise" : "fall"), \(points) periods in a row each \(rising ? "higher" : "lower") than the one "
      + "before, more than the authority's usual year-to-year variation would give"
  }

  static func spcShiftStatement(title: String, above: Bool, points: Int) -> String {
    "\(title): the last \(points) periods all \(above ? "above" : "below") the authority's own average, a sustained shift "
      + "more than its usual year-to-year variation would give"
  }

  static let spcQuestion = "what changed in demand, policy or practice when it began?"

  /// Where leave-one-out skill ≤ 0: context predicts worse than pooling.
  static let noContextSkill =
    "The area's context does not predict this indicator (it predicts authorities no better than the average of the others), so no expected value is shown; the comparisons are with England, the region and the neighbours only."

  /// Where leave-one-out skill is between 0 and 0.1.
  static func weakContextSkill(_ skill: Double) -> String {
    "Caveat: the area's context predicts little of this indicator for an authority the model has not seen (context skill \(NumberFormat.plain(skill, decimals: 3)), where 1 is perfect and 0 no better than the average of the others), so the expected value is a weak guide."
  }

  /// How the neighbour median beside an authority's value is computed
  /// (the DfE dashboard's rule), with the neighbours it rests on. Not
  /// "published values" alone: a neighbour whose figure DfE does not
  /// publish (Birmingham's 0.41% of children in care misusing substances)
  /// enters with the figure computed here, at DfE's precision.
  static func neighbourMedianNote(count: Int, leftOut: Int) -> String {
    let left = leftOut == 0 ? "" : "; \(leftOut) suppressed or missing left out"
    return "Median of \(count) official neighbours' figures as DfE publishes them (where DfE publishes none, the figure computed here, rounded as DfE rounds), as the DfE dashboard computes it\(left)."
  }

  /// The neighbour note cut to what differs between indicators, for print,
  /// where the rule is said once at the head of the indicators.
  static func neighbourMedianBrief(count: Int, leftOut: Int) -> String {
    let left = leftOut == 0 ? "" : "; \(leftOut) left out"
    return "Median of \(count) official neighbours\(left)."
  }

  /// The quartile band's direction alone, for print (the rule is said once).
  static func quartileBandBrief(polarity: Polarity) -> String {
    polarity == .higherIsBetter ? "A is the highest quarter." : "A is the lowest quarter."
  }

  /// The two rules behind every indicator's neighbour median and quartile
  /// band, said once where print drops them from each indicator.
  static let comparisonRules =
    "Neighbour median: the median of the official neighbours' figures as DfE publishes them (where DfE publishes none, the figure computed here, rounded as DfE rounds), as the DfE dashboard computes it (suppressed or missing values left out). Quartile band: the quarter of all authorities a value falls in, as LAIT shows it; which end is A follows the indicator's direction."

  /// A rank with its 95% interval, in plain words; an interval over half
  /// the table is said to say little (issue 17.4).
  static func rankInterval(rank: Int, lower: Int, upper: Int, of n: Int) -> String {
    let base = "Rank \(rank) of \(n), plausibly anywhere from \(lower) to \(upper) given the numbers behind each authority's figure"
    return upper - lower + 1 >= (n + 1) / 2 ? base + ": most of the table, so the rank says little on its own." : base + "."
  }

  /// What the model over every year says of the authority (issue 17.6):
  /// a persistent difference from expectation, or none, so that one
  /// year's difference is read for what it is.
  static func persistence(_ reading: MultiYearContextModel.Reading, from: String, to: String) -> String {
    let span = "Over \(from) to \(to), taking every year together with a year effect"
    switch reading {
    case .persistentlyHigher:
      return span + ": persistently higher than expected given context, year after year rather than in one year only."
    case .persistentlyLower:
      return span + ": persistently lower than expected given context, year after year rather than in one year only."
    case .noPersistentDifference:
      return span + ": no persistent difference from expected given context; a difference in one year is not repeated across the years."
    }
  }

  /// How the quartile band is computed (LAIT's rule) and which way it reads.
  /// The cut-point rule is said because it decides ties: where higher is
  /// better, a value equal to the upper quartile is B, not A, which a
  /// reader comparing two authorities on the same figure would otherwise
  /// take for an error.
  static func quartileBandNote(polarity: Polarity, authorities: Int) -> String {
    let order = polarity == .higherIsBetter ? "A is the highest quarter" : "A is the lowest quarter"
    return "The quarter of the \(authorities) authorities this value falls in, as LAIT shows it; \(order), by the indicator's direction. A value equal to a quartile falls in the quarter below it."
  }

  /// The methods note on numbering, said once: outcomes and enablers are
  /// numbered as on DfE's dashboard, and where the 2023 consultation
  /// numbered one differently, both numbers are given.
  static func frameworkNumbering(_ frameworks: [FrameworkArea]) -> String? {
    guard frameworks.contains(where: { $0.number != nil }) else { return nil }
    let differing = frameworks.compactMap { f -> String? in
      guard let c = f.consultationNumber, c != f.number else { return nil }
      return "'\(f.title)' is \(c) in the consultation"
    }
    var note = "Outcomes and enablers are headed by their words and numbered as on DfE's Children's Social Care "
      + "Outcomes and Enablers dashboard, which numbers the outcomes as the 2023 National Framework consultation did."
    if !differing.isEmpty {
      note += " The dashboard shows the enablers without numbers; " + differing.joined(separator: "; ") + "."
    }
    return note
  }

  /// How the contextual model behind an expected value was fitted: the
  /// plain reading first, then the kind of model and the context it reads,
  /// in words: `context` is `ContextWords.context(of:)` of the model's
  /// formula (the formula itself is in Models/context), nil for a model
  /// of the average alone.
  static func modelNote(family: FamilyName, context: String?, explained: Double, skill: Double?,
                        weightedByPupils: Bool = false, beyondChance: Double? = nil) -> String {
    let percent = { (x: Double) in "\(Int((x * 100).rounded()))%" }
    let unseen = skill.map { "; \(percent(max($0, 0))) for an authority the model has not seen (context skill \(NumberFormat.plain($0, decimals: 2)))" } ?? ""
    let reads = context.map { " on " + $0 } ?? " of the average alone"
    return "How much of the difference between authorities the area's context accounts for: \(percent(explained)) "
      + "in the authorities the model was fitted to\(unseen). Model: \(ContextWords.family(family))\(reads)"
      + (weightedByPupils ? ", each authority weighted by the precision of its mean (chance on few pupils, plus "
         + "the spread between authorities that context leaves: a random-effects meta-regression), so a small "
         + "cohort's prediction interval is wider." : ".")
      + (beyondChance.map { " Much of the difference between authorities' means is chance on few pupils; of the "
         + "difference beyond chance, context accounts for \(percent($0))." } ?? "")
  }

  static let defaultQuestion = "what do case audits and practice reviews show about it?"

  /// Names joined for a sentence: "A", "A and B", "A, B and C".
  static func list(_ names: [String]) -> String { EnglishList.joined(names) }

  /// The opening of a section whose figure is a joint return (issue 22.3).
  static func jointReturn(_ words: String) -> String {
    "This figure is a \(words): the authorities submit one return, so DfE publishes one figure for them together, counted once in ranks and summaries."
  }
}
