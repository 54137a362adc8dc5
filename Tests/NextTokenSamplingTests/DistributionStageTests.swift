import Foundation
import Testing
import NextTokenCore
import NextTokenSampling

/// Each stage on hand-built logits whose survivors are known exactly.
///
/// `ladder` has probabilities 0.1, 0.4, 0.2, 0.1, 0.2 at temperature 1; sorted by probability
/// (ties by lower id) that is ids 1, 2, 4, 0, 3 with cumulative mass 0.4, 0.6, 0.8, 0.9, 1.0.
@Suite("Processed distribution stages")
struct DistributionStageTests {
    let ladder = logLogits([0.1, 0.4, 0.2, 0.1, 0.2])

    @Test("temperature 1 is the softmax; temperature 2 flattens it by a square root")
    func temperature() throws {
        let plain = try processed(ladder, SamplingParameters())
        #expect(plain.tokenIDs == [0, 1, 2, 3, 4])
        #expect(isClose(plain.probabilities, [0.1, 0.4, 0.2, 0.1, 0.2]))

        let flattened = try processed(ladder, SamplingParameters(temperature: 2))
        let roots = [0.1, 0.4, 0.2, 0.1, 0.2].map { $0.squareRoot() }
        let rootSum = roots.reduce(0, +)
        #expect(isClose(flattened.probabilities, roots.map { $0 / rootSum }))
    }

    @Test("top-k keeps the k highest logits, the lower id winning a boundary tie", arguments: [
        (1, [1] as [TokenID]),
        (2, [1, 2]),  // 2 and 4 tie at 0.2: id 2 wins
        (3, [1, 2, 4]),
        (4, [0, 1, 2, 4]),  // 0 and 3 tie at 0.1: id 0 wins
        (5, [0, 1, 2, 3, 4]),
        (99, [0, 1, 2, 3, 4]),
    ])
    func topK(k: Int, survivors: [TokenID]) throws {
        let distribution = try processed(ladder, SamplingParameters(topK: k))
        #expect(distribution.tokenIDs == survivors)
        let kept = survivors.map { [0.1, 0.4, 0.2, 0.1, 0.2][Int($0)] }
        let keptSum = kept.reduce(0, +)
        #expect(isClose(distribution.probabilities, kept.map { $0 / keptSum }))
    }

    @Test("top-p keeps the smallest probability-sorted prefix reaching p", arguments: [
        (0.05, [1] as [TokenID]),
        (0.3, [1]),
        (0.5, [1, 2]),
        (0.65, [1, 2, 4]),
        (0.85, [0, 1, 2, 4]),  // 0 and 3 tie at 0.1: id 0 comes first
        (0.95, [0, 1, 2, 3, 4]),
    ])
    func topP(p: Double, survivors: [TokenID]) throws {
        let distribution = try processed(ladder, SamplingParameters(topP: p))
        #expect(distribution.tokenIDs == survivors)
    }

    @Test("min-p keeps probabilities of at least minP times the highest", arguments: [
        (0.2, [0, 1, 2, 3, 4] as [TokenID]),  // 0.1 / 0.4 = 0.25 >= 0.2
        (0.3, [1, 2, 4]),  // 0.25 < 0.3 <= 0.5
        (0.6, [1]),
    ])
    func minP(minP: Double, survivors: [TokenID]) throws {
        let distribution = try processed(ladder, SamplingParameters(minP: minP))
        #expect(distribution.tokenIDs == survivors)
    }

    @Test("min-p keeps a token exactly at the threshold")
    func minPInclusive() throws {
        // Token 1's weight is exp(-0.5 / 1) exactly; a min-p of that value keeps it.
        let distribution = try processed([0, -0.5, -0.6], SamplingParameters(minP: exp(-0.5)))
        #expect(distribution.tokenIDs == [0, 1])
    }

    @Test("stages run in the order top-k, top-p, min-p")
    func stageOrder() throws {
        // Top-k 2 leaves ids 1 and 2 with 2/3 and 1/3; top-p 0.6 then keeps only id 1. Applied
        // to the full distribution first, top-p 0.6 would have kept ids 1 and 2.
        let ordered = try processed(ladder, SamplingParameters(topK: 2, topP: 0.6))
        #expect(ordered.tokenIDs == [1])
        // Top-p 0.85 keeps 0, 1, 2, 4; min-p 0.3 then drops id 0 (0.1 < 0.3 × 0.4).
        let filtered = try processed(ladder, SamplingParameters(topP: 0.85, minP: 0.3))
        #expect(filtered.tokenIDs == [1, 2, 4])
        #expect(isClose(filtered.probabilities, [0.5, 0.25, 0.25]))
    }

    @Test("temperature 0 is one-hot on the greedy token")
    func greedyDistribution() throws {
        let distribution = try processed([0.5, 2, -1, 2], .greedy)
        #expect(distribution.tokenIDs == [1])
        #expect(distribution.probabilities == [1])
    }

    @Test("the temperature -> 0 limit concentrates on the argmax")
    func coldLimit() throws {
        let logits: [Float] = [1.0, 1.1, 0.9, -3]
        let cool = try processed(logits, SamplingParameters(temperature: 0.01))
        // Gaps 0.1, 0.2, 4.1 below the maximum become weights e^-10, e^-20, e^-410.
        #expect(abs(cool.probability(of: 1) - 1 / (1 + exp(-10.0) + exp(-20.0))) < 1e-9)
        for temperature in [1e-6, 1e-30, Double.leastNonzeroMagnitude] {
            let cold = try processed(logits, SamplingParameters(temperature: temperature))
            #expect(cold.tokenIDs == [1] && cold.probabilities == [1])
        }
    }

    @Test("NaN and -infinity never survive; +infinity takes all the mass")
    func nonFiniteLogits() throws {
        let withHoles = try processed([.nan, 1, -.infinity, 1], SamplingParameters())
        #expect(withHoles.tokenIDs == [1, 3])
        #expect(withHoles.probabilities == [0.5, 0.5])
        let infinite = try processed([1, .infinity, 3, .infinity], SamplingParameters(topK: 3))
        #expect(infinite.tokenIDs == [1, 3])
        #expect(infinite.probabilities == [0.5, 0.5])
        let underflow = try processed([0, -1000, 0], SamplingParameters())
        #expect(underflow.tokenIDs == [0, 2])
    }

    @Test("no usable logit throws noCandidates", arguments: [
        [] as [Float], [.nan, .nan], [-.infinity, .nan, -.infinity],
    ])
    func noCandidates(logits: [Float]) {
        for parameters in [SamplingParameters(), .greedy, SamplingParameters(topK: 1, topP: 0.5)] {
            #expect(throws: SamplingError.noCandidates(logitCount: logits.count)) {
                try processed(logits, parameters)
            }
        }
    }

    @Test("probability(of:) finds survivors and reports 0 for the rest")
    func lookup() throws {
        let distribution = try processed(ladder, SamplingParameters(topK: 3))
        #expect(distribution.count == 3)
        #expect(abs(distribution.probability(of: 1) - 0.5) < 1e-6)
        #expect(abs(distribution.probability(of: 4) - 0.25) < 1e-6)
        for absent: TokenID in [-1, 0, 3, 5, .max] { #expect(distribution.probability(of: absent) == 0) }
    }
}
