import Foundation
import NextTokenTestSupport
import Testing

@Suite("nexttoken bench byte-level", .serialized)
struct ByteLevelBenchCommandTests {
    @Test("a missing corpus fails with a message telling how to make it")
    func missingCorpus() throws {
        let result = try CLIRunner.run(["bench", "byte-level", "--corpus", "/nonexistent/corpus.txt"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("get_corpora.py"))
        #expect(try CLIRunner.run(["bench", "byte-level", "--samples", "-1"]).status != 0)
    }

    @Test("--json reports exact match of the three methods and bits per byte, SmolLM2, 2 samples")
    func jsonShape() throws {
        _ = try TestModels.requireOrSkip("smollm2")
        let corpus = FileManager.default.temporaryDirectory.appendingPathComponent("byte-level-bench-\(UUID()).txt")
        let text = String(repeating: "The family of Dashwood had long been settled in Sussex. Their estate was large.\n", count: 8)
        try Data(text.utf8).write(to: corpus)
        defer { try? FileManager.default.removeItem(at: corpus) }
        let result = try CLIRunner.run([
            "bench", "byte-level", "--corpus", corpus.path, "--models", "smollm2", "--samples", "2",
            "--context-bytes", "100", "--slices", "1", "--slice-bytes", "120", "--threads", "2", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try result.jsonLines().first)
        let completions = try #require(object["word_completion"] as? [[String: Any]])
        let smol = try #require(completions.first)
        #expect(smol["model"] as? String == "smollm2" && smol["samples"] as? Int == 2)
        let methods = try #require(smol["methods"] as? [[String: Any]])
        #expect(methods.compactMap { $0["method"] as? String } == ["naive", "token-healing", "exact"])
        let exact = try #require(methods.last)
        let matches = try #require(exact["matches"] as? Int)
        #expect((0...2).contains(matches))
        #expect(exact["exact_match"] as? Double == Double(matches) / 2)
        #expect((exact["seconds"] as? Double ?? 0) > 0)
        let cuts = try #require(smol["cuts"] as? [[String: Any]])
        #expect(cuts.count == 2)
        for cut in cuts {
            #expect(!(cut["truth"] as? String ?? "").isEmpty)
            #expect((cut["completions"] as? [String: String])?.keys.sorted() == ["exact", "naive", "token-healing"])
        }
        let bits = try #require(object["bits_per_byte"] as? [String: Any])
        let rows = try #require(bits["results"] as? [[String: Any]])
        #expect(rows.count == 1 && bits["slices"] as? Int == 1)
        #expect((rows[0]["byte_level"] as? Double ?? 0) > 0 && (rows[0]["token_level"] as? Double ?? 0) > 0)
    }
}
