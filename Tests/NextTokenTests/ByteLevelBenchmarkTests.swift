import Foundation
import NextToken
import NextTokenByteLevel
import NextTokenTestSupport
import Testing

/// The byte-level benchmark on SmolLM2. Slow in debug: `swift test -c release --filter ByteLevelBenchmark`.
@Suite("Byte-level benchmark on SmolLM2", .serialized)
struct ByteLevelBenchmarkTests {
    static let corpus = String(repeating: """
        It is a truth universally acknowledged, that a single man in possession of a good fortune, \
        must be in want of a wife. However little known the feelings or views of such a man may be \
        on his first entering a neighbourhood, this truth is so well fixed in the minds of the \
        surrounding families.\n
        """, count: 4)

    @Test("two cuts are completed by all three methods, and the match counts agree with the completions")
    func completesWords() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        var benchmark = ByteLevelBenchmark()
        benchmark.samples = 2
        benchmark.contextBytes = 120
        benchmark.threads = 2
        let cuts = try benchmark.cuts(in: Self.corpus)
        let result = try benchmark.completeWords(model, cuts: cuts)
        #expect(result.methods == [.naive, .tokenHealing, .exact])
        #expect(result.samples.count == 2 && result.durations.count == 3)
        #expect(result.durations.allSatisfy { $0 > .zero })
        for (index, method) in result.methods.enumerated() {
            let matched = result.samples.filter { $0.completions[index].matches($0.cut.rest) }.count
            #expect(result.matches(method) == matched)
            #expect(result.exactMatch(method) == Double(matched) / 2)
        }
        for sample in result.samples {
            let exact = sample.completions[2]
            #expect(exact.isDecided(against: sample.cut.rest))
        }
    }

    @Test("bits per byte: byte level is at most token level (the canonical encoding is one of the encodings summed)")
    func bitsPerByte() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        var benchmark = ByteLevelBenchmark()
        benchmark.slices = 2
        benchmark.sliceBytes = 150
        benchmark.threads = 2
        let slices = try benchmark.slices(of: Self.corpus)
        let results = try benchmark.bitsPerByte([model], labels: ["smollm2"], slices: slices)
        let result = try #require(results.first)
        #expect(results.count == 1 && result.label == "smollm2")
        #expect(result.bytes == slices.map(\.utf8.count).reduce(0, +))
        let tokenLevel = try #require(result.tokenLevel)
        #expect(result.byteLevel > 0 && result.byteLevel.isFinite)
        #expect(result.byteLevel <= tokenLevel + 1e-6)
        #expect(throws: NextTokenError.self) { try benchmark.bitsPerByte([model], labels: [], slices: slices) }
    }
}
