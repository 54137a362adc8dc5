#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NextTokenCore

/// One encoding of a word with the model's probability for it in context.
public struct ScoredEncoding: Sendable, Equatable {
    /// The tokens.
    public var tokens: [TokenID]
    /// `log P(tokens | context)`, natural log.
    public var logProbability: Double
    /// How it differs from the canonical encoding (empty for the canonical one).
    public var classes: Set<ArtifactClass>
}

/// The model's probability mass on the encodings of one word of a text, in its context.
///
/// Distinct encodings of the same bytes are disjoint events for the model's token stream, so
/// their probabilities add up: ``canonicalProbability`` + ``alternativeMass`` is the probability
/// that the model continues the context with exactly these bytes, ending on a token boundary.
public struct EncodingMass: Sendable, Equatable {
    /// The word.
    public var text: String
    /// Its bytes in the scored text.
    public var byteRange: Range<Int>
    /// Its canonical tokens.
    public var canonical: [TokenID]
    /// `log P(canonical | context)`.
    public var canonicalLogProbability: Double
    /// The summed probability of every non-canonical encoding found.
    public var alternativeMass: Double
    /// An upper bound on the probability of the non-canonical encodings not found (the mass of
    /// the partial encodings the search left unexpanded).
    public var unexploredBound: Double
    /// How many non-canonical encodings were found.
    public var alternativesFound: Int
    /// Forward-pass rows spent on partial encodings (the search's cost).
    public var evaluatedNodes: Int
    /// For each class, the summed probability of the non-canonical encodings carrying it.
    public var classMass: [ArtifactClass: Double]
    /// The likeliest non-canonical encodings found, most probable first.
    public var topAlternatives: [ScoredEncoding]

    /// `P(canonical | context)`.
    public var canonicalProbability: Double { exp(canonicalLogProbability) }

    /// The share of this word's mass on non-canonical encodings: how often the model, sampling
    /// at temperature 1, would spell the word non-canonically given that it spells it.
    public var nonCanonicalShare: Double {
        let total = canonicalProbability + alternativeMass
        return total > 0 ? alternativeMass / total : 0
    }
}

/// Totals over many scored words.
public struct EncodingMassSummary: Sendable, Equatable {
    /// Words scored.
    public var words: Int
    /// Mean of ``EncodingMass/nonCanonicalShare`` over the words.
    public var meanNonCanonicalShare: Double
    /// Largest ``EncodingMass/nonCanonicalShare``.
    public var maximumNonCanonicalShare: Double
    /// Words with at least one non-canonical encoding found.
    public var wordsWithAlternatives: Int
    /// For each class, its share of all non-canonical mass (each word's mass normalised by its
    /// total first). Shares can add up to more than 1: one encoding can carry several classes.
    public var classShares: [ArtifactClass: Double]
    /// Mean of the words' unexplored bounds relative to their total mass.
    public var meanRelativeUnexploredBound: Double

    /// The summary of `masses`.
    public init(_ masses: [EncodingMass]) {
        words = masses.count
        let shares = masses.map(\.nonCanonicalShare)
        meanNonCanonicalShare = shares.isEmpty ? 0 : shares.reduce(0, +) / Double(shares.count)
        maximumNonCanonicalShare = shares.max() ?? 0
        wordsWithAlternatives = masses.filter { $0.alternativesFound > 0 }.count
        var classTotals: [ArtifactClass: Double] = [:]
        var relativeBounds = 0.0
        for mass in masses {
            let total = mass.canonicalProbability + mass.alternativeMass
            guard total > 0 else { continue }
            for (artifact, value) in mass.classMass { classTotals[artifact, default: 0] += value / total }
            relativeBounds += mass.unexploredBound / total
        }
        let nonCanonical = shares.reduce(0, +)
        classShares = nonCanonical > 0 ? classTotals.mapValues { $0 / nonCanonical } : [:]
        meanRelativeUnexploredBound = masses.isEmpty ? 0 : relativeBounds / Double(masses.count)
    }
}
