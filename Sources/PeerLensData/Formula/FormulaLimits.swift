/// The bounds that keep a formula's parse and its design matrix within
/// memory and time, whatever is typed.
///
/// The parser is recursive, so nesting is bounded before the stack is; the
/// term algebra multiplies, so expansion is bounded before the work is; and
/// the design matrix is sized from the factor levels before it is built.
/// Each bound is far above any model PeerLens fits to local-authority data
/// (about 150 rows), and the refusal names the bound.
public enum FormulaLimits {
  /// Deepest nesting of parentheses, function calls and operators.
  public static let maxDepth = 200
  /// Most terms a formula may expand to (`(a+…+l)^12` would be 4,095).
  public static let maxTerms = 1_000
  /// Most pairs of terms the expansion may combine, over the whole
  /// formula: a product of two 1,000-term sums is a million pairs.
  public static let maxTermPairs = 4_000_000
  /// Most columns (parameters) of a design matrix.
  public static let maxParameters = 10_000
  /// Most cells (rows × columns) of a design matrix: 400 MB of doubles.
  public static let maxCells = 50_000_000
}
