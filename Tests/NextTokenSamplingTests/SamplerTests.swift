import Testing
import NextTokenCore
import NextTokenSampling

@Suite("Sampler")
struct SamplerTests {
    func sample(_ sampler: inout Sampler, _ logits: [Float]) throws -> TokenID {
        try logits.withUnsafeBufferPointer { try sampler.sample(logits: $0) }
    }

    @Test("greedy picks the highest logit, the lowest id on ties", arguments: [
        ([1, 5, 5, 2], 1),
        ([7], 0),
        ([.nan, 0, .nan], 1),
        ([-.infinity, -.infinity, -40], 2),
        ([3, .infinity, .nan, .infinity], 1),
        ([-2, -2, -2, -2], 0),
    ] as [([Float], TokenID)])
    func greedy(logits: [Float], expected: TokenID) throws {
        let token = try logits.withUnsafeBufferPointer { try Sampler.greedyToken(logits: $0) }
        #expect(token == expected)
        var sampler = try Sampler(parameters: .greedy)
        #expect(try sample(&sampler, logits) == expected)
        // The one-hot distribution agrees, and top-k 1 at any temperature picks the same token.
        #expect(try processed(logits, .greedy).tokenIDs == [expected])
        #expect(try processed(logits, SamplingParameters(temperature: 3, topK: 1)).tokenIDs == [expected])
    }

    @Test("greedy ties across the eight scan lanes and the scalar tail go to the lowest id")
    func greedyLanes() throws {
        for (positions, length) in [([10, 3], 16), ([3, 10], 16), ([17, 9, 30], 37), ([33, 34], 35), ([7, 8], 9)] {
            var logits = [Float](repeating: -1, count: length)
            for position in positions { logits[position] = 4 }
            logits[0] = .nan
            let token = try logits.withUnsafeBufferPointer { try Sampler.greedyToken(logits: $0) }
            #expect(token == TokenID(positions.min() ?? -1), "maxima at \(positions) of \(length)")
        }
        var nanOnly = [Float](repeating: .nan, count: 19)
        nanOnly[18] = -5  // the only candidate sits in the scalar tail
        #expect(try nanOnly.withUnsafeBufferPointer { try Sampler.greedyToken(logits: $0) } == 18)
    }

    @Test("empty and all-NaN logits throw instead of trapping")
    func noCandidates() throws {
        for parameters in [SamplingParameters.greedy, SamplingParameters(seed: 1)] {
            var sampler = try Sampler(parameters: parameters)
            #expect(throws: SamplingError.noCandidates(logitCount: 0)) { try sample(&sampler, []) }
            #expect(throws: SamplingError.noCandidates(logitCount: 2)) { try sample(&sampler, [.nan, .nan]) }
        }
    }

    @Test("a seed fixes the token stream")
    func reproducible() throws {
        let logits = DistributionReferenceTests.randomLogits(count: 500, seed: 9, coarse: false)
        let parameters = SamplingParameters(temperature: 1.5, topP: 0.9, seed: 2024)
        var first = try Sampler(parameters: parameters)
        var second = try Sampler(parameters: parameters)
        var reseeded = try Sampler(parameters: SamplingParameters(temperature: 1.5, topP: 0.9, seed: 2025))
        let a = try (0 ..< 300).map { _ in try sample(&first, logits) }
        let b = try (0 ..< 300).map { _ in try sample(&second, logits) }
        let c = try (0 ..< 300).map { _ in try sample(&reseeded, logits) }
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a).count > 10)
    }

    @Test("without a seed the sampler picks one and reports it")
    func reportedSeed() throws {
        let logits = DistributionReferenceTests.randomLogits(count: 64, seed: 3, coarse: false)
        var unseeded = try Sampler(parameters: SamplingParameters())
        var replay = try Sampler(parameters: SamplingParameters(seed: unseeded.seed))
        let a = try (0 ..< 100).map { _ in try sample(&unseeded, logits) }
        let b = try (0 ..< 100).map { _ in try sample(&replay, logits) }
        #expect(a == b)
    }

    @Test("one uniform per token: sample == drawIndex(distribution, next uniform)")
    func rngDiscipline() throws {
        // The contract speculative decoding relies on (design §4.3).
        let parameters = SamplingParameters(temperature: 0.9, topK: 30, topP: 0.95, seed: 77)
        var sampler = try Sampler(parameters: parameters)
        var builder = try TokenDistributionBuilder(parameters: parameters)
        var random = SeededRandom(seed: 77)
        for step: UInt64 in 0 ..< 200 {
            let logits = DistributionReferenceTests.randomLogits(count: 257, seed: step, coarse: step % 3 == 0)
            let sampled = try sample(&sampler, logits)
            let distribution = try logits.withUnsafeBufferPointer { try builder.distribution(logits: $0) }
            let index = Sampler.drawIndex(distribution: distribution, uniform: random.nextUniform())
            #expect(sampled == distribution.tokenIDs[index])
        }
    }

    @Test("near-zero temperatures sample the argmax")
    func coldSampling() throws {
        let logits: [Float] = [0.3, 2.0, 1.9, -1]
        for temperature in [1e-3, 1e-9, 1e-300] {
            var sampler = try Sampler(parameters: SamplingParameters(temperature: temperature, seed: 5))
            for _ in 0 ..< 50 { #expect(try sample(&sampler, logits) == 1) }
        }
    }
}

@Suite("Inverse-CDF draw")
struct DrawIndexTests {
    @Test("cumulative boundaries belong to the next token", arguments: [
        (0.0, 0), (0.2499999999, 0), (0.25, 1), (0.4999999, 1), (0.5, 2), (0.9999999999999999, 2),
    ])
    func boundaries(uniform: Double, expected: Int) throws {
        let quarters = try ProcessedDistribution(tokenIDs: [2, 5, 9], weights: [0.25, 0.25, 0.5])
        #expect(Sampler.drawIndex(distribution: quarters, uniform: uniform) == expected)
    }

    @Test("u past the last cumulative value goes to the last non-zero token")
    func pastTheEnd() throws {
        let tailZero = try ProcessedDistribution(tokenIDs: [0, 1, 2, 3], weights: [0.1, 0.2, 0.7, 0])
        for uniform in [0.9999999999999999, 1.0, 1.5, .infinity, .nan] {
            #expect(Sampler.drawIndex(distribution: tailZero, uniform: uniform) == 2)
        }
        // Weights whose float sum falls short of 1: ten times 0.1 sums to 0.9999999999999999.
        let tenths = try ProcessedDistribution(tokenIDs: Array(0 ..< 10), weights: Array(repeating: 1, count: 10))
        #expect(tenths.probabilities.reduce(0, +) < 1)
        #expect(Sampler.drawIndex(distribution: tenths, uniform: 0.9999999999999999) == 9)
    }

    @Test("zero-probability tokens are never drawn")
    func zeroProbability() throws {
        let holes = try ProcessedDistribution(
            tokenIDs: [0, 1, 2, 3, 4, 5], weights: [0, 0.3, 0, 0, 0.7, 0])
        var counts = [Int](repeating: 0, count: 6)
        let steps = 100_000
        for step in 0 ..< steps {
            counts[Sampler.drawIndex(distribution: holes, uniform: Double(step) / Double(steps))] += 1
        }
        #expect(counts == [0, 30_000, 0, 0, 70_000, 0])
        #expect(Sampler.drawIndex(distribution: holes, uniform: 0) == 1)
        #expect(Sampler.drawIndex(distribution: holes, uniform: -0.5) == 1)
    }

    @Test("hand-built distributions reject bad input")
    func invalidDistributions() {
        #expect(throws: SamplingError.mismatchedCounts(tokenCount: 2, weightCount: 1)) {
            try ProcessedDistribution(tokenIDs: [0, 1], weights: [1])
        }
        #expect(throws: SamplingError.unorderedTokenIDs(index: 1, tokenID: 3)) {
            try ProcessedDistribution(tokenIDs: [3, 3], weights: [1, 1])
        }
        #expect(throws: SamplingError.invalidWeight(index: 1, weight: -1)) {
            try ProcessedDistribution(tokenIDs: [0, 1], weights: [1, -1])
        }
        #expect(throws: SamplingError.unnormalizableWeights(total: 0)) {
            try ProcessedDistribution(tokenIDs: [0, 1], weights: [0, 0])
        }
        #expect(throws: SamplingError.unnormalizableWeights(total: 0)) {
            try ProcessedDistribution(tokenIDs: [], weights: [])
        }
    }
}
