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
        #expect(object["precision"] as? String == "int8")
        // The memory ceiling per thread count: SmolLM2's repacked weights (≈96 MB) read at a plausible speed.
        let ceilings = try #require(object["memory_ceiling"] as? [[String: Any]])
        #expect(ceilings.map { $0["threads"] as? Int } == [1, 2])
        for ceiling in ceilings {
            let bytes = try #require(ceiling["bytes_per_token"] as? Int)
            let read = try #require(ceiling["read_bytes_per_second"] as? Double)
            let tokens = try #require(ceiling["tokens_per_second"] as? Double)
            #expect(bytes > 90_000_000 && bytes < 110_000_000)
            #expect(read > 1e8 && abs(tokens - read / Double(bytes)) <= 1e-6 * tokens)
            #expect((ceiling["generation_share"] as? Double ?? 0) > 0)
        }
    }

    @Test("bench --depth measures after cached tokens, named as llama-bench names them; --precision f32 is reported")
    func depthJSON() throws {
        let result = try CLIRunner.run(["bench", "--model", try Self.model(), "--prompt-tokens", "4",
                                        "--gen-tokens", "2", "--threads", "1", "--repetitions", "1", "--depth", "0,16",
                                        "--precision", "f32", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try result.jsonLines().first)
        let rows = try #require(object["results"] as? [[String: Any]])
        #expect(rows.map { $0["test"] as? String } == ["pp4", "tg2", "pp4 @ d16", "tg2 @ d16"])
        #expect(object["precision"] as? String == "f32")
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

    @Test("bench speculative --json reports every method per category, all outputs identical to plain; batch-curve --prefix")
    func speculativeJSON() throws {
        let workload = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-workload-\(getpid()).jsonl")
        try Data("""
            {"prompt": "Repeat exactly: the cat sat on the mat, the cat sat on the mat.", "category": "copy"}
            {"turns": ["Name three colours."], "category": "chat"}
            {"prompt": "def add(a, b):\\n", "category": "code"}

            """.utf8).write(to: workload)
        defer { try? FileManager.default.removeItem(at: workload) }
        let result = try CLIRunner.run(["bench", "speculative", "--model", try Self.model(), "--workload", workload.path,
                                        "--limit", "2", "--max-new-tokens", "12", "--methods", "lookup,recycling",
                                        "--threads", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let methods = try #require(try result.jsonLines().first?["methods"] as? [String: [String: Any]])
        #expect(Set(methods.keys) == ["none", "lookup", "recycling"])
        for (name, method) in methods {
            #expect(method["prompts"] as? Int == 2, "\(name)")
            #expect(method["identical"] as? Int == 2, "\(name)")
            #expect((method["speedup"] as? Double ?? 0) > 0, "\(name)")
            #expect((method["tau"] as? Double ?? 0) >= 1, "\(name)")
            let categories = try #require(method["by_category"] as? [String: Any])
            #expect(Set(categories.keys) == ["copy", "chat"], "\(name)")
        }
        let stratified = try CLIRunner.run(["bench", "speculative", "--model", try Self.model(), "--workload",
                                            workload.path, "--per-category", "1", "--max-new-tokens", "4",
                                            "--methods", "goose", "--threads", "1", "--json"])
        #expect(stratified.status == 0, "\(stratified.stderr)")
        let goose = try #require(try stratified.jsonLines().first?["methods"] as? [String: [String: Any]])["goose"]
        #expect(goose?["prompts"] as? Int == 3)
        #expect(Set((goose?["by_category"] as? [String: Any] ?? [:]).keys) == ["copy", "chat", "code"])
        #expect(methods["none"]?["speedup"] as? Double == 1)

        let curve = try CLIRunner.run(["bench", "--model", try Self.model(), "--batch-curve", "--prefix", "32",
                                       "--threads", "1", "--repetitions", "1", "--json"])
        #expect(curve.status == 0, "\(curve.stderr)")
        let object = try #require(try curve.jsonLines().first)
        #expect(object["prefix"] as? Int == 32)
        let points = try #require(object["batch_curve"] as? [[String: Any]])
        #expect(points.map { $0["rows"] as? Int } == [1, 2, 4, 8, 16, 32, 64])
        #expect(points.first?["relative_cost"] as? Double == 1)
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
