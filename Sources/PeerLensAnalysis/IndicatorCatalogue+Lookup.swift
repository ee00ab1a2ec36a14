import PeerLensData

extension IndicatorCatalogue {
  /// The indicator with `id`, for a command that computes one value per
  /// authority and year. An id `peerlens indicators` lists beside the
  /// indicators is refused by saying what it is
  /// (`SupplementaryFigure.refusal(for:)`); any other unknown id with the
  /// nearest known one.
  ///
  /// Why here and not in the data layer: the figures beside the indicators
  /// are analysis types, and every command that looks an id up goes
  /// through this one function rather than repeating the two checks.
  public func requireIndicator(_ id: String) throws -> Indicator {
    if let i = indicator(id: id) { return i }
    if let refusal = SupplementaryFigure.refusal(for: id) { throw refusal }
    throw CatalogueError.unknownIndicator(id: id, known: indicators.map(\.id))
  }
}
