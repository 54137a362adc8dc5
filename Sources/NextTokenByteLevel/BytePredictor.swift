/// Something that predicts the next byte of a growing text: an exact byte-level state, a
/// baseline, or an ensemble of them.
public protocol BytePredictor: AnyObject {
    /// The distribution of the symbol after the bytes so far.
    func distribution() throws(ByteLevelError) -> ByteDistribution

    /// Appends `byte` and returns the natural-log probability ``distribution()`` gave it.
    ///
    /// - Throws: ``ByteLevelError/impossibleByte(_:offset:)`` when that probability is 0.
    @discardableResult
    func advance(_ byte: UInt8) throws(ByteLevelError) -> Double
}

/// What an exact byte-level state did so far, for tests and reports.
public struct ByteStateStatistics: Sendable, Equatable {
    /// Covers now (with non-empty overhang).
    public var coverCount = 0
    /// Most covers at once.
    public var peakCoverCount = 0
    /// Validity tests run (design §6.4 pruning).
    public var validityChecks = 0
    /// Covers dropped because their overhang ran out without being the canonical encoding, or
    /// because they did not share a new anchor.
    public var droppedCovers = 0
    /// Their probability mass, summed relative to the prefix mass when they were dropped.
    public var droppedMass = 0.0
    /// Times the canonical encoding was not among the covers and was computed directly.
    public var canonicalFallbacks = 0
    /// Times the anchor moved.
    public var anchorMoves = 0
    /// Forward evaluations of the canonical path.
    public var pathEvaluations = 0

    /// Empty statistics.
    public init() {}
}
