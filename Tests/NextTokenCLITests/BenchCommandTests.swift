import Foundation
import NextTokenTestSupport
import Testing

@Suite("nexttoken bench and score --features", .serialized)
struct BenchCommandTests {
    static func model() throws -> String { try TestModels.requireOrSkip("smollm2") }

    @Test("bench --json prints pp and tg rows per thread count with median ≤ max, peak RSS and load time")
    func runtimeJSON() throws {
        let result = try CLIRunner.run(["bench", "--model", try Self.model(), "--prompt-tokens", "8",
                                        "--gen-tokens", "2", "--threads", "1,2", "--repetitions", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try result.jsonLines().first)
        let rows = try #require(object["results"] as? [[String: Any]])
        #expect(rows.map { $0["test"] as? String } == ["pp8", "tg2", "pp8", "tg2"])
        #expect(rows.map { $0["threads"] as? Int } == [1, 1, 2, 2])
        for row in rows {
            let speed = try #require(row["tokens_per_second"] as? [String: Double])
            #expect(speed["min"]! > 0 && speed["min"]! <= speed["median"]! && speed["median"]! <= speed["max"]!)
        }
        #expect((object["peak_rss_bytes"] as? Int ?? 0) > 1 << 20)
        #expect((object["load_seconds"] as? Double ?? -1) >= 0)
    }

    @Test("bench tokenizer --json counts the corpus's bytes and tokens; a missing corpus is an error")
    func tokenizerJSON() throws {
        let corpus = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-corpus-\(getpid()).txt")
        try Data("def f(x):\n    return x\n".utf8).write(to: corpus)
        defer { try? FileManager.default.removeItem(at: corpus) }
        let result = try CLIRunner.run(["bench", "tokenizer", "--models", try Self.model(), "--corpus", corpus.path,
                                        "--threads", "1", "--repetitions", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try result.jsonLines().first?["results"] as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows.first?["bytes"] as? Int == 23)
        let ids = try CLIRunner.run(["tokenize", "--model", try Self.model(), "--json", "def f(x):\n    return x\n"])
        #expect(rows.first?["tokens"] as? Int == (try ids.jsonLines().first?["ids"] as? [Any])?.count)
        let missing = try CLIRunner.run(["bench", "tokenizer", "--corpus", "/nonexistent/corpus.txt"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("corpus"))
    }

    @Test("score --features prints what features prints; it refuses --byte-level")
    func scoreFeatures() throws {
        let model = try Self.model()
        let text = Data("The cat sat on the mat.".utf8)
        let viaScore = try CLIRunner.run(["score", "--model", model, "--features", "--format", "csv"], stdin: text)
        let direct = try CLIRunner.run(["features", "--model", model, "--format", "csv"], stdin: text)
        #expect(viaScore.status == 0, "\(viaScore.stderr)")
        #expect(viaScore.text == direct.text)
        #expect(viaScore.text.split(separator: "\n").count > 3)
        let refused = try CLIRunner.run(["score", "--model", model, "--features", "--byte-level"], stdin: text)
        #expect(refused.status != 0)
    }
}
