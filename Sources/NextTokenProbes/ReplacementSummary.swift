/// Totals over replacement trials: outcome counts, the phantom-edit share and its classes, and
/// the non-canonical generation rate of §7.5.
public struct ReplacementSummary: Sendable, Equatable {
    /// Trials run.
    public var trials: Int
    /// Trials per outcome.
    public var outcomes: [ReplacementOutcome: Int]
    /// Phantom edits per trial.
    public var phantomEditShare: Double
    /// For each class, the share of phantom edits that carry it (shares can add up to more than
    /// 1: one edit can carry several classes).
    public var phantomClassShares: [ArtifactClass: Double]
    /// Phantom edits whose id difference touches the target word.
    public var phantomEditsTouchingTarget: Int
    /// Output words emitted in non-canonical ids, over all output words.
    public var nonCanonicalWordRate: Double
    /// Outputs whose ids are not the canonical encoding of their text.
    public var nonCanonicalOutputs: Int

    /// The summary of `trials`.
    public init(_ trials: [ReplacementTrial]) {
        self.trials = trials.count
        outcomes = Dictionary(grouping: trials, by: \.outcome).mapValues(\.count)
        let phantoms = trials.filter { $0.outcome == .phantomEdit }
        phantomEditShare = trials.isEmpty ? 0 : Double(phantoms.count) / Double(trials.count)
        var classCounts: [ArtifactClass: Int] = [:]
        for trial in phantoms {
            for artifact in trial.classes { classCounts[artifact, default: 0] += 1 }
        }
        phantomClassShares = classCounts.mapValues { Double($0) / Double(max(1, phantoms.count)) }
        phantomEditsTouchingTarget = phantoms.filter(\.targetTouched).count
        let words = trials.reduce(0) { $0 + $1.wordCount }
        nonCanonicalWordRate = words == 0 ? 0 : Double(trials.reduce(0) { $0 + $1.nonCanonicalWordCount }) / Double(words)
        nonCanonicalOutputs = trials.filter { !$0.differences.isEmpty }.count
    }
}
