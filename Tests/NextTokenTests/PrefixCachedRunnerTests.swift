import NextTokenCore
import NextTokenGGUF
import NextTokenKernels
import NextTokenModel
import NextTokenTestSupport
import Testing
@testable import NextToken

@Suite("Prefix-cached evaluation")
struct PrefixCachedRunnerTests {
    @Test("logits after each sequence equal a fresh full evaluation, through shared prefixes, rewinds and cache growth")
    func matchesFreshEvaluation() throws {
        let model = try LlamaModel(file: try GGUFFile(bytes: SyntheticLlama().bytes()))
        let pool = WorkerPool(threadCount: 2)
        var runner = PrefixCachedRunner(model: model, pool: pool, capacity: 4)
        let base: [TokenID] = [5, 17, 200, 3]
        let sequences: [[TokenID]] = [
            base, base + [9], base + [9, 44], base + [10], base, Array(base.prefix(2)),
            base + Array(repeating: 7, count: 20), [1],
        ]
        var rows = 0
        var previous: [TokenID] = []
        for sequence in sequences {
            try runner.evaluate(sequence)
            let fresh = try model.logits(ForwardBatch(tokens: sequence, startingAt: 0),
                                         context: model.makeContext(capacity: sequence.count, pool: pool),
                                         logitRows: [sequence.count - 1])
            #expect(runner.logits == fresh, "after \(sequence)")
            var shared = 0
            while shared < min(previous.count, sequence.count - 1), previous[shared] == sequence[shared] { shared += 1 }
            if sequence.count > 4 && previous.count <= 4 { shared = 0 }  // the cache grew: nothing is reused
            rows += sequence.count - shared
            #expect(runner.forwardRows == rows, "only the unshared suffix runs")
            previous = sequence
        }
        #expect(throws: NextTokenError.self) { try runner.evaluate([]) }
        #expect(throws: NextTokenError.self) { try runner.evaluate([TokenID](repeating: 1, count: model.contextLength + 1)) }
    }
}
