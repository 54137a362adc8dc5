@testable import NextToken
import NextTokenTestSupport
import Testing

@Suite("Tokenizer throughput benchmark")
struct TokenizerBenchmarkTests {
    @Test("the corpus is cut after newlines into pieces that concatenate back to it", arguments: [1, 2, 3, 7])
    func split(count: Int) {
        let text = (0 ..< 40).map { "line \($0) é 😀 " + String(repeating: "x", count: $0 % 9) }.joined(separator: "\n")
        let pieces = TokenizerBenchmark.split(text, into: count)
        #expect(pieces.joined() == text)
        #expect(pieces.count == count)
        #expect(pieces.dropLast().allSatisfy { $0.hasSuffix("\n") })
    }

    @Test("a text without newlines stays one piece; the token count is the pieces' encodings")
    func countsTokens() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        #expect(TokenizerBenchmark.split("no newline here", into: 4) == ["no newline here"])
        var benchmark = TokenizerBenchmark()
        benchmark.threadCounts = [2]
        benchmark.repetitions = 1
        let corpus = String(repeating: "def f(x):\n    return x + 1\n\n", count: 50)
        let result = try #require(try benchmark.run(model.tokenizer, corpus: corpus).first)
        let expected = TokenizerBenchmark.split(corpus, into: 2)
            .map { model.tokenizer.encode(String($0), parseSpecial: false).count }.reduce(0, +)
        #expect(result.tokens == expected)
        #expect(result.bytes == corpus.utf8.count)
        #expect(throws: NextTokenError.self) { try benchmark.run(model.tokenizer, corpus: "") }
    }
}
