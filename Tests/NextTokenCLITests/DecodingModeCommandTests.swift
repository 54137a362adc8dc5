import Foundation
import NextTokenTestSupport
import Testing

@Suite("nexttoken generate --navigate and probe key-space", .serialized)
struct DecodingModeCommandTests {
    @Test("generate --navigate 3 --json prints three distinct answers and the settings; plain prints one per line")
    func navigate() throws {
        let model = try TestModels.requireOrSkip("smollm2")
        let arguments = ["generate", "--model", model, "--navigate", "3", "--answer-tokens", "8", "--threads", "2",
                         "Name a fruit."]
        let result = try CLIRunner.run(arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try result.jsonLines().first)
        let answers = try #require(object["answers"] as? [String])
        #expect(answers.count == 3 && Set(answers).count == 3, "\(answers)")
        let navigation = try #require(object["navigation"] as? [String: Any])
        #expect(navigation["runs"] as? Int == 3 && navigation["max_answer_tokens"] as? Int == 8)
        let plain = try CLIRunner.run(arguments)
        #expect(plain.status == 0)
        #expect(plain.text == answers.joined(separator: "\n") + "\n")
    }

    @Test("bad --navigate combinations fail validation", arguments: [
        ["--navigate", "0"],
        ["--navigate", "2", "--cautious"],
        ["--navigate", "2", "--temperature", "0.7"],
        ["--answer-tokens", "5"],
    ])
    func badNavigate(_ arguments: [String]) throws {
        let result = try CLIRunner.run(["generate", "--model", "/nonexistent.gguf"] + arguments + ["hi"])
        #expect(result.status != 0 && result.status < 128)
        #expect(result.stderr.contains("navigate"), "\(result.stderr)")
    }

    @Test("probe key-space --json reports per-prompt shares in [0, 1] and their mean")
    func keySpace() throws {
        let model = try TestModels.requireOrSkip("smollm2")
        let result = try CLIRunner.run([
            "probe", "key-space", "--model", model, "--clusters", "8", "--iterations", "2", "--threads", "2",
            "--bands", "20,100", "--prompt", "My favourite fruit is", "--prompt", "The capital of Japan is", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try result.jsonLines().first)
        #expect(object["clusters"] as? Int == 8)
        let prompts = try #require(object["prompts"] as? [[String: Any]])
        #expect(prompts.count == 2)
        for line in prompts {
            #expect((line["top_tokens"] as? [String])?.count == 10)
            let baseline = try #require(line["baseline"] as? Double)
            #expect(baseline > 0 && baseline <= 1)
            let bands = try #require(line["bands"] as? [[String: Any]])
            #expect(bands.map { $0["first_rank"] as? Int } == [11, 21])
            #expect(bands.allSatisfy { ($0["share"] as? Double).map { $0 >= 0 && $0 <= 1 } ?? false })
        }
        #expect((object["mean"] as? [String: Any])?["prompt"] as? String == "mean")
    }

    @Test("bad probe key-space settings fail validation", arguments: [
        ["--clusters", "0"], ["--bands", "5,20"], ["--bands", "20,x"], ["--top", "0"],
    ])
    func badKeySpace(_ arguments: [String]) throws {
        let result = try CLIRunner.run(["probe", "key-space", "--model", "/nonexistent.gguf"] + arguments)
        #expect(result.status != 0 && result.status < 128)
    }
}
