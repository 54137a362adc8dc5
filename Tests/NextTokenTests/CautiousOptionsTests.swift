import NextToken
import Testing

@Suite("Cautious trial counts and settings")
struct CautiousOptionsTests {
    @Test("N(H) is 1 up to the lower bound, maxTrials from the upper one, floor-interpolated between")
    func trialCounts() {
        let options = CautiousOptions()
        #expect(options.trialCount(entropy: 0) == 1)
        #expect(options.trialCount(entropy: 0.01) == 1)
        #expect(options.trialCount(entropy: 0.755) == 5)
        #expect(options.trialCount(entropy: 0.18) == 2)
        #expect(options.trialCount(entropy: 1.5) == 10)
        #expect(options.trialCount(entropy: 7) == 10)
        let counts = stride(from: 0.0, through: 2, by: 0.01).map { options.trialCount(entropy: $0) }
        #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test("maxTrials 1 never triggers")
    func oneTrial() {
        var options = CautiousOptions()
        options.maxTrials = 1
        #expect([0.0, 0.5, 3, 20].allSatisfy { options.trialCount(entropy: $0) == 1 })
    }

    @Test("bad settings are typed errors", arguments: [
        { (o: inout CautiousOptions) in o.minEntropy = 2 },
        { (o: inout CautiousOptions) in o.minEntropy = -1 },
        { (o: inout CautiousOptions) in o.maxEntropy = .nan },
        { (o: inout CautiousOptions) in o.maxTrials = 0 },
        { (o: inout CautiousOptions) in o.maxTrialTokens = 0 },
    ] as [@Sendable (inout CautiousOptions) -> Void])
    func badSettings(_ change: @Sendable (inout CautiousOptions) -> Void) {
        var options = CautiousOptions()
        change(&options)
        #expect(throws: NextTokenError.self) { try options.validate() }
    }
}
