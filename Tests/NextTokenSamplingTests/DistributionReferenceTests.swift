import Testing
import NextTokenCore
import NextTokenSampling

/// The builder against ``referenceDistribution(_:_:)`` on random logits, including many ties.
@Suite("Processed distribution vs. naive reference")
struct DistributionReferenceTests {
    static let parameterGrid: [SamplingParameters] = [
        SamplingParameters(),
        .greedy,
        SamplingParameters(temperature: 0.7, topK: 1),
        SamplingParameters(temperature: 0.7, topK: 40),
        SamplingParameters(temperature: 1.3, topP: 0.9),
        SamplingParameters(temperature: 0.5, topP: 0.3),
        SamplingParameters(minP: 0.05),
        SamplingParameters(temperature: 0.8, topK: 50, topP: 0.95, minP: 0.02),
        SamplingParameters(temperature: 2, topK: 300, topP: 0.5, minP: 0.1),
    ]

    /// Random logits; with `coarse`, rounded to steps of 0.5 so that ties are everywhere.
    static func randomLogits(count: Int, seed: UInt64, coarse: Bool) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0 ..< count).map { _ in
            let value = Float(random.nextUniform() * 12 - 6)
            return coarse ? (value * 2).rounded() / 2 : value
        }
    }

    @Test("same survivors and probabilities", arguments: parameterGrid)
    func matchesReference(parameters: SamplingParameters) throws {
        // One builder for every case checks that reused scratch never leaks between calls.
        var builder = try TokenDistributionBuilder(parameters: parameters)
        for seed: UInt64 in 1 ... 12 {
            let count = [1, 2, 7, 100, 1000, 3000][Int(seed % 6)]
            let logits = Self.randomLogits(count: count, seed: seed, coarse: seed % 2 == 0)
            let actual = try logits.withUnsafeBufferPointer { try builder.distribution(logits: $0) }
            let expected = try #require(referenceDistribution(logits, parameters))
            #expect(actual.tokenIDs == expected.map(\.id), "seed \(seed), \(count) logits")
            #expect(isClose(actual.probabilities, expected.map(\.probability), tolerance: 1e-12))
            #expect(abs(actual.probabilities.reduce(0, +) - 1) < 1e-12)
        }
    }

    @Test("sorted inputs and all-equal logits (quickselect's easy worst cases)")
    func degenerateOrders() throws {
        let rising = (0 ..< 2000).map { Float($0) / 200 }
        let falling = Array(rising.reversed())
        let flat = [Float](repeating: 0.25, count: 2000)
        for logits in [rising, falling, flat] {
            for parameters in [SamplingParameters(topP: 0.5), SamplingParameters(topK: 700, topP: 0.9)] {
                let actual = try processed(logits, parameters)
                let expected = try #require(referenceDistribution(logits, parameters))
                #expect(actual.tokenIDs == expected.map(\.id))
            }
        }
    }
}
