import Foundation
import NextTokenTestSupport
import Testing

@Suite("nexttoken generate --cautious", .serialized)
struct CautiousCommandTests {
    @Test("--json reports the cautious settings and statistics; forced trials cost extra rows")
    func cautiousJSON() throws {
        let model = try TestModels.requireOrSkip("smollm2")
        let result = try CLIRunner.run([
            "generate", "--model", model, "--json", "--max-tokens", "8", "--threads", "2", "--ignore-eos",
            "--temperature", "0.8", "--seed", "3", "--cautious", "--cautious-min-entropy", "0",
            "--cautious-max-entropy", "0.001", "--cautious-max-trials", "2", "--cautious-max-trial-tokens", "4",
            "The best fruits are"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try result.jsonLines().first)
        #expect((object["tokens"] as? [Int])?.count == 8)
        #expect(object["max_tokens"] as? Int == 8)
        #expect((object["sampling"] as? [String: Any])?["temperature"] as? Double == 0.8)
        let cautious = try #require(object["cautious"] as? [String: Any])
        #expect(cautious["max_trials"] as? Int == 2)
        #expect(cautious["stop"] as? String == "reference-ids")
        let triggered = try #require(cautious["triggered_steps"] as? Int)
        let trials = try #require(cautious["trials"] as? Int)
        #expect(triggered >= 1 && trials == 2 * triggered)
        #expect((cautious["extra_rows_per_token"] as? Double ?? 0) > 0)
        #expect(result.stderr.contains("cautious: \(triggered) of "))
    }

    @Test("without --cautious there is no cautious object; with bounds above every entropy the tokens are plain decoding's")
    func untriggered() throws {
        let model = try TestModels.requireOrSkip("smollm2")
        let common = ["generate", "--model", model, "--json", "--max-tokens", "6", "--threads", "2", "--ignore-eos",
                      "The best fruits are"]
        let plain = try CLIRunner.run(common)
        let careful = try CLIRunner.run(common + ["--cautious", "--cautious-min-entropy", "40", "--cautious-max-entropy", "50"])
        let plainObject = try #require(try plain.jsonLines().first)
        let carefulObject = try #require(try careful.jsonLines().first)
        #expect(plainObject["cautious"] == nil)
        #expect(plainObject["tokens"] as? [Int] == carefulObject["tokens"] as? [Int])
        let cautious = try #require(carefulObject["cautious"] as? [String: Any])
        #expect(cautious["triggered_steps"] as? Int == 0 && cautious["extra_rows_per_token"] as? Double == 0)
    }

    @Test("bad --cautious settings fail validation", arguments: [
        ["--cautious", "--cautious-max-trials", "0"],
        ["--cautious", "--cautious-min-entropy", "2", "--cautious-max-entropy", "1"],
        ["--cautious-max-trials", "3"],
        ["--cautious", "--speculate", "lookup"],
        ["--cautious", "--cautious-stop", "sometimes"],
    ])
    func badSettings(_ arguments: [String]) throws {
        let result = try CLIRunner.run(["generate", "--model", "/nonexistent.gguf"] + arguments + ["hi"])
        #expect(result.status != 0 && result.status < 128)
        #expect(result.stderr.contains("cautious") || result.stderr.contains("speculate"), "\(result.stderr)")
    }
}
