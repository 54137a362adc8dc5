import Foundation
import NextTokenTestSupport
import Testing

@Suite("nexttoken command line", .serialized)
struct CLITests {
    static func model() throws -> String { try TestModels.requireOrSkip("smollm2") }

    @Test("every command has --help", arguments: ["generate", "tokenize", "detokenize", "logits", "inspect", "models"])
    func help(command: String) throws {
        let result = try CLIRunner.run([command, "--help"])
        #expect(result.status == 0)
        #expect(result.text.contains("USAGE"))
    }

    @Test("tokenize --json matches the reference ids; detokenize inverts it")
    func tokenizeRoundTrip() throws {
        let model = try Self.model()
        let text = "Hello world, it's 2026!"
        let tokens = try CLIRunner.run(["tokenize", "--model", model, "--json", text])
        #expect(tokens.status == 0)
        let ids = try #require(try tokens.jsonLines().first?["ids"] as? [Int])
        #expect(ids == [19556, 905, 28, 357, 506, 216, 34, 32, 34, 38, 17])
        let back = try CLIRunner.run(["detokenize", "--model", model] + ids.map(String.init))
        #expect(back.text == text + "\n")
        // stdin is read byte for byte.
        let piped = try CLIRunner.run(["tokenize", "--model", model, "--json"], stdin: Data(text.utf8))
        #expect(try piped.jsonLines().first?["ids"] as? [Int] == ids)
    }

    @Test("generate --json prints one object with tokens, text, stop reason and timings")
    func generateJSON() throws {
        let model = try Self.model()
        let result = try CLIRunner.run(["generate", "--model", model, "--json", "--max-tokens", "8", "--threads", "2",
                                        "--ignore-eos", "The capital of France is"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try result.jsonLines().first)
        #expect(object["prompt_tokens"] as? [Int] == [504, 3575, 282, 4649, 314])
        #expect((object["tokens"] as? [Int])?.first == 7042)  // " Paris"
        #expect((object["text"] as? String)?.hasPrefix(" Paris") == true)
        #expect(object["stop_reason"] as? String == "max_tokens")
        let timings = try #require(object["timings"] as? [String: Any])
        #expect((timings["generation_tokens_per_second"] as? Double ?? 0) > 0)
        #expect(result.stderr.contains("tokens/s"))
    }

    @Test("generate streams plain text and honours --stop")
    func generateText() throws {
        let model = try Self.model()
        let result = try CLIRunner.run(["generate", "--model", model, "--max-tokens", "20", "--stop", ".",
                                        "The capital of France is"])
        #expect(result.status == 0)
        #expect(result.text == " Paris\n")
    }

    @Test("logits --json prints one line per position, sorted, with a consistent log-sum-exp")
    func logits() throws {
        let model = try Self.model()
        let result = try CLIRunner.run(["logits", "--model", model, "--tokens", "504,33059,40061", "--top-k", "5", "--json"])
        #expect(result.status == 0)
        let lines = try result.jsonLines()
        #expect(lines.count == 3)
        for line in lines {
            let top = try #require(line["top"] as? [[Double]])
            #expect(top.count == 5)
            #expect(zip(top, top.dropFirst()).allSatisfy { $0[1] >= $1[1] })
            let lse = try #require(line["logsumexp"] as? Double)
            #expect(lse >= top[0][1])
        }
        // llama.cpp's top-1 at these positions (shared/testdata/reference, record 00).
        #expect((lines[0]["top"] as? [[Double]])?.first?.first == 29)
        #expect((lines[2]["top"] as? [[Double]])?.first?.first == 28)
    }

    @Test("inspect --json reports architecture, tokenizer and tensor types")
    func inspect() throws {
        let result = try CLIRunner.run(["inspect", "--model", try Self.model(), "--json"])
        #expect(result.status == 0)
        let object = try #require(try result.jsonLines().first)
        #expect(object["architecture"] as? String == "llama")
        #expect(object["tokenizer"] as? String == "gpt2")
        #expect(object["vocabulary_size"] as? Int == 49152)
        let types = (object["tensor_types"] as? [[String: Any]])?.compactMap { $0["type"] as? String }
        #expect(types == ["f32", "q4_1", "q8_0"])
    }

    @Test("bad input fails with a one-line message, never a crash")
    func badInput() throws {
        let missing = try CLIRunner.run(["generate", "--model", "/nonexistent.gguf", "hi"])
        #expect(missing.status != 0 && missing.status < 128)
        let garbage = FileManager.default.temporaryDirectory.appendingPathComponent("garbage-\(getpid()).gguf")
        try Data("GGUF but not really".utf8).write(to: garbage)
        defer { try? FileManager.default.removeItem(at: garbage) }
        let corrupt = try CLIRunner.run(["generate", "--model", garbage.path, "hi"])
        #expect(corrupt.status != 0 && corrupt.status < 128)
        #expect(corrupt.stderr.lowercased().contains("gguf"))
        let badIDs = try CLIRunner.run(["detokenize", "--model", try Self.model(), "99999999"])
        #expect(badIDs.status != 0 && badIDs.status < 128)
        let invalidUTF8 = try CLIRunner.run(["tokenize", "--model", try Self.model()], stdin: Data([0xFF, 0xC3, 0x28, 0x41]))
        #expect(invalidUTF8.status == 0)
    }
}
