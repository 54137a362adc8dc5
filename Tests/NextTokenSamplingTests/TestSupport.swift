import Foundation
import NextTokenCore
import NextTokenSampling

/// The processed distribution of `logits` from a fresh builder.
func processed(_ logits: [Float], _ parameters: SamplingParameters) throws -> ProcessedDistribution {
    var builder = try TokenDistributionBuilder(parameters: parameters)
    return try logits.withUnsafeBufferPointer { try builder.distribution(logits: $0) }
}

/// Natural logarithms as `Float` logits, so that a softmax at temperature 1 gives `values`
/// normalised (up to the `Float` rounding of the logits).
func logLogits(_ values: [Double]) -> [Float] {
    values.map { Float(log($0)) }
}

/// Whether two probability lists agree to `tolerance` in every entry.
func isClose(_ actual: [Double], _ expected: [Double], tolerance: Double = 1e-6) -> Bool {
    actual.count == expected.count && zip(actual, expected).allSatisfy { abs($0 - $1) <= tolerance }
}
