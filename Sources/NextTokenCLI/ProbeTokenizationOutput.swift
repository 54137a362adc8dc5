import Foundation
import NextTokenProbes

/// Prints probe results as JSON lines with sorted, snake-case keys.
enum ProbeJSON {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        FileHandle.standardOutput.write(try encoder.encode(value) + Data("\n".utf8))
    }

    /// Class names and values, keyed by the classes' JSON names.
    static func classes<V>(_ values: [ArtifactClass: V]) -> [String: V] {
        Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
    }
}

/// One `--json` line of `probe tokenization` for a word.
struct WordEncodingsLine: Encodable {
    let word: String
    let text: String
    let canonical: [Int32]
    let count: UInt64
    let encodings: [[Int32]]
    let complete: Bool
    let canonicalFound: Bool
    let classes: [String: Int]
    let mass: EncodingMassLine?

    init(_ report: WordEncodings, mass: EncodingMass?) {
        word = report.word
        text = report.text
        canonical = report.canonical
        count = report.count
        encodings = report.encodings
        complete = report.isComplete
        canonicalFound = report.canonicalFound
        classes = ProbeJSON.classes(report.classCounts)
        self.mass = mass.map(EncodingMassLine.init)
    }
}

/// The model's mass on one word's encodings, as JSON.
struct EncodingMassLine: Encodable {
    struct Alternative: Encodable {
        let tokens: [Int32]
        let logprob: Double
        let classes: [String]
    }

    let text: String
    let canonical: [Int32]
    let canonicalLogprob: Double
    let alternativeMass: Double
    let nonCanonicalShare: Double
    let unexploredBound: Double
    let alternativesFound: Int
    let evaluatedNodes: Int
    let classMass: [String: Double]
    let top: [Alternative]

    init(_ mass: EncodingMass) {
        text = mass.text
        canonical = mass.canonical
        canonicalLogprob = mass.canonicalLogProbability
        alternativeMass = mass.alternativeMass
        nonCanonicalShare = mass.nonCanonicalShare
        unexploredBound = mass.unexploredBound
        alternativesFound = mass.alternativesFound
        evaluatedNodes = mass.evaluatedNodes
        classMass = ProbeJSON.classes(mass.classMass)
        top = mass.topAlternatives.map {
            Alternative(tokens: $0.tokens, logprob: $0.logProbability, classes: $0.classes.sorted().map(\.rawValue))
        }
    }
}

/// Totals of encoding mass, as JSON.
struct MassSummaryLine: Encodable {
    let words: Int
    let meanNonCanonicalShare: Double
    let maximumNonCanonicalShare: Double
    let wordsWithAlternatives: Int
    let classShares: [String: Double]
    let meanRelativeUnexploredBound: Double

    init(_ summary: EncodingMassSummary) {
        words = summary.words
        meanNonCanonicalShare = summary.meanNonCanonicalShare
        maximumNonCanonicalShare = summary.maximumNonCanonicalShare
        wordsWithAlternatives = summary.wordsWithAlternatives
        classShares = ProbeJSON.classes(summary.classShares)
        meanRelativeUnexploredBound = summary.meanRelativeUnexploredBound
    }

    /// One line of text.
    var text: String {
        let shares = classShares.sorted { $0.value > $1.value }.map { "\($0.key) \(ProbeNumber.percent($0.value))" }
        return "non-canonical mass over \(words) words: mean share \(ProbeNumber.short(meanNonCanonicalShare)), "
            + "max \(ProbeNumber.short(maximumNonCanonicalShare)), words with alternatives found \(wordsWithAlternatives), "
            + "mean relative unexplored bound \(ProbeNumber.short(meanRelativeUnexploredBound))"
            + (shares.isEmpty ? "" : "; share of non-canonical mass by class: " + shares.joined(separator: ", "))
    }
}

/// One replacement trial, as JSON.
struct ReplacementTrialLine: Encodable {
    struct Difference: Encodable {
        let bytes: [Int]
        let canonical: [Int32]
        let emitted: [Int32]
        let classes: [String]
    }

    let sentence: String
    let target: String
    let output: String
    let outputTokens: [Int32]
    let outcome: String
    let replacement: String?
    let canonical: Bool
    let classes: [String]
    let targetTouched: Bool
    let words: Int
    let nonCanonicalWords: Int
    let differences: [Difference]
    let mass: MassSummaryLine?

    init(_ trial: ReplacementTrial, mass: EncodingMassSummary?) {
        sentence = trial.prompt.sentence
        target = trial.prompt.target
        output = trial.outputText
        outputTokens = trial.outputTokens
        outcome = trial.outcome.rawValue
        replacement = trial.replacement
        canonical = trial.differences.isEmpty
        classes = trial.classes.sorted().map(\.rawValue)
        targetTouched = trial.targetTouched
        words = trial.wordCount
        nonCanonicalWords = trial.nonCanonicalWordCount
        differences = trial.differences.map {
            Difference(bytes: [$0.byteRange.lowerBound, $0.byteRange.upperBound], canonical: $0.referenceTokens,
                       emitted: $0.otherTokens, classes: $0.classes.sorted().map(\.rawValue))
        }
        self.mass = mass.map(MassSummaryLine.init)
    }
}

/// Totals of the replacement probe, as JSON.
struct ReplacementSummaryLine: Encodable {
    let trials: Int
    let outcomes: [String: Int]
    let phantomEditShare: Double
    let phantomClassShares: [String: Double]
    let phantomEditsTouchingTarget: Int
    let nonCanonicalWordRate: Double
    let nonCanonicalOutputs: Int
    let mass: MassSummaryLine?

    init(_ summary: ReplacementSummary, mass: EncodingMassSummary?) {
        trials = summary.trials
        outcomes = Dictionary(uniqueKeysWithValues: summary.outcomes.map { ($0.key.rawValue, $0.value) })
        phantomEditShare = summary.phantomEditShare
        phantomClassShares = ProbeJSON.classes(summary.phantomClassShares)
        phantomEditsTouchingTarget = summary.phantomEditsTouchingTarget
        nonCanonicalWordRate = summary.nonCanonicalWordRate
        nonCanonicalOutputs = summary.nonCanonicalOutputs
        self.mass = mass.map(MassSummaryLine.init)
    }
}

/// Number formats of the probes' text output.
enum ProbeNumber {
    static func percent(_ value: Double) -> String { String(format: "%.1f%%", 100 * value) }
    static func short(_ value: Double) -> String { String(format: "%.3g", value) }
}
