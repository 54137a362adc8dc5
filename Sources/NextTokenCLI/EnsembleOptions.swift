import Foundation
import ArgumentParser
import NextToken
import NextTokenByteLevel

/// `--ensemble`, `--weights`, `--mixing`: models with different vocabularies combined at the byte
/// level (design §6.5), shared by `score` and `generate --byte-level`.
struct EnsembleOptions: ParsableArguments {
    @Option(help: "Comma-separated models (short names or paths) mixed at the byte level, e.g. smollm2,gemma3. Replaces --model.")
    var ensemble: String?

    @Option(help: "Comma-separated ensemble weights, one per model (default: uniform).")
    var weights: String?

    @Option(help: "How the models' next-byte distributions are mixed: arithmetic (weighted mean, the default) or geometric (weighted product, renormalised).")
    var mixing: EnsembleRule = .arithmetic

    /// The ensemble's model names, when there is an ensemble.
    var modelNames: [String]? {
        ensemble.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
    }

    /// The parsed weights, when given.
    var parsedWeights: [Double]? {
        get throws {
            guard let weights else { return nil }
            return try weights.split(separator: ",").map { text in
                guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, value >= 0 else {
                    throw ValidationError("--weights: '\(text)' is not a non-negative number")
                }
                return value
            }
        }
    }

    func validate() throws {
        if let names = modelNames, names.contains(where: \.isEmpty) || names.isEmpty {
            throw ValidationError("--ensemble needs comma-separated model names")
        }
        if weights != nil && ensemble == nil { throw ValidationError("--weights needs --ensemble") }
        if let weights = try parsedWeights {
            guard weights.count == modelNames?.count else {
                throw ValidationError("--weights needs one weight per --ensemble model")
            }
            guard weights.reduce(0, +) > 0 else { throw ValidationError("--weights must not all be zero") }
        }
    }

    /// Loads the ensemble's models, or `nil` without `--ensemble`.
    func load() throws -> ModelEnsemble? {
        guard let names = modelNames else { return nil }
        return try ModelEnsemble(models: names.map { try Model.load($0) }, weights: try parsedWeights, rule: mixing)
    }
}

extension EnsembleRule: ExpressibleByArgument {}

extension PruningMode: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}

extension ByteScoringMethod: ExpressibleByArgument {}
