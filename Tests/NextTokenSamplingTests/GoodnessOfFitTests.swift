import Foundation
import NextTokenTestSupport
import Testing
import NextTokenCore
import NextTokenSampling

/// Draws from the real sampler match the analytic processed distribution (Pearson χ²).
@Suite("Sampling goodness of fit")
struct GoodnessOfFitTests {
    /// The known V = 8 distribution, given to the sampler as log-probability logits.
    static let base = [0.30, 0.20, 0.15, 0.12, 0.10, 0.08, 0.04, 0.01]
    static let drawCount = 20_000

    /// The analytic law of `base` under `parameters`, computed from the stage definitions.
    static func analyticLaw(_ parameters: SamplingParameters) -> [Double] {
        // Tempered probabilities: base^(1/T), normalised. `base` has no ties, so ranking is plain.
        let tempered = base.map { pow($0, 1 / parameters.temperature) }
        let order = tempered.indices.sorted { tempered[$0] > tempered[$1] }
        var kept = Set(order.prefix(parameters.topK > 0 ? parameters.topK : order.count))
        let keptMass = kept.reduce(0) { $0 + tempered[$1] }
        var mass = 0.0
        for id in order where kept.contains(id) {
            if mass >= parameters.topP * keptMass { kept.remove(id) } else { mass += tempered[id] }
        }
        let highest = tempered[order[0]]
        kept = kept.filter { tempered[$0] >= parameters.minP * highest }
        let total = kept.reduce(0) { $0 + tempered[$1] }
        return tempered.indices.map { kept.contains($0) ? tempered[$0] / total : 0 }
    }

    static func draw(_ parameters: SamplingParameters) throws -> [Int] {
        var sampler = try Sampler(parameters: parameters)
        let logits = logLogits(base)
        var counts = [Int](repeating: 0, count: base.count)
        try logits.withUnsafeBufferPointer { buffer in
            for _ in 0 ..< drawCount { counts[Int(try sampler.sample(logits: buffer))] += 1 }
        }
        return counts
    }

    @Test("the χ² survival function matches scipy.stats.chi2.sf", arguments: [
        (7.0, 7, 0.42887985755305486), (24.321886, 7, 0.0010000001411828757),
        (2.0, 3, 0.5724067044708798), (50.0, 7, 1.4444852779215397e-08),
        (100.0, 10, 5.4497019829205215e-17), (0.5, 1, 0.47950012218695337),
    ])
    func survivalFunction(x: Double, degreesOfFreedom: Int, expected: Double) {
        let actual = ChiSquare.survival(x, degreesOfFreedom: degreesOfFreedom)
        #expect(abs(actual - expected) <= 1e-9 * expected)
    }

    @Test("20,000 seeded draws fit the processed distribution (p >= 1e-3)", arguments: [
        SamplingParameters(temperature: 1, seed: 11),
        SamplingParameters(temperature: 0.7, seed: 12),
        SamplingParameters(temperature: 1.4, topK: 5, seed: 13),
        SamplingParameters(temperature: 1, topP: 0.8, seed: 14),
        SamplingParameters(temperature: 0.9, topK: 6, topP: 0.9, minP: 0.15, seed: 15),
    ])
    func fits(parameters: SamplingParameters) throws {
        let law = Self.analyticLaw(parameters)
        let counts = try Self.draw(parameters)
        for id in law.indices where law[id] == 0 { #expect(counts[id] == 0, "filtered token \(id) drawn") }
        let (statistic, degreesOfFreedom) = ChiSquare.statistic(observed: counts, expected: law)
        let pValue = ChiSquare.survival(statistic, degreesOfFreedom: degreesOfFreedom)
        #expect(pValue >= 1e-3, "χ² = \(statistic) on \(degreesOfFreedom) df, counts \(counts)")
    }

    @Test("power: a sampler that ignores the temperature is rejected (p < 1e-6)")
    func rejectsWrongSampler() throws {
        // The wrong sampler draws at temperature 1 where the law asks for 0.7.
        let law = Self.analyticLaw(SamplingParameters(temperature: 0.7))
        let counts = try Self.draw(SamplingParameters(temperature: 1, seed: 12))
        let (statistic, degreesOfFreedom) = ChiSquare.statistic(observed: counts, expected: law)
        #expect(ChiSquare.survival(statistic, degreesOfFreedom: degreesOfFreedom) < 1e-6)
    }
}
