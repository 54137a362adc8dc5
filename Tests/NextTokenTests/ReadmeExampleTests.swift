import Foundation
import NextToken
import NextTokenTestSupport
import Testing

@Suite("README library example")
struct ReadmeExampleTests {
    // README-EXAMPLE-BEGIN
    func readmeExample() async throws -> String {
        let model = try Model.load("smollm2")
        var options = GenerationOptions()
        options.maxTokens = 16
        var text = ""
        for try await event in model.generate("The capital of France is", options: options) {
            switch event {
            case .text(let delta):
                text += delta
            case .finished(let summary):
                print("\n\(summary.tokens.count) tokens, \(summary.generationTokensPerSecond) tokens/s")
            case .logprob:
                break  // sent only when options.logprobs is set
            }
        }
        return text
    }
    // README-EXAMPLE-END

    @Test("the README's example runs and answers")
    func runsTheExample() async throws {
        _ = try TestModels.requireOrSkip("smollm2")
        let text = try await readmeExample()
        #expect(text.hasPrefix(" Paris"), "got \(text.debugDescription)")
    }

    @Test("the README shows exactly the code this test runs")
    func readmeMatchesThisFile() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let begin = try #require(source.range(of: "    // README-EXAMPLE-BEGIN\n"))
        let end = try #require(source.range(of: "    // README-EXAMPLE-END"))
        let body = source[begin.upperBound ..< end.lowerBound]
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("    ") ? $0.dropFirst(4) : $0 }
            .joined(separator: "\n")
        let readme = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(body), "README.md must contain the example verbatim:\n\(body)")
    }
}
