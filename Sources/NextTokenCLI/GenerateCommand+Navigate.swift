import ArgumentParser
import Foundation
import NextToken

/// `generate --navigate N`: in-context navigation (design §8), N answers to a list question.
struct NavigateCommandOptions: ParsableArguments {
    @Option(help: "In-context navigation: ask N times for an answer through the chat template, each time listing the answers already given, and print the distinct answers.")
    var navigate: Int?

    @Option(help: "Most tokens of one --navigate answer.")
    var answerTokens = NavigationOptions().maxAnswerTokens

    func validate() throws {
        if let navigate, navigate < 1 { throw ValidationError("--navigate needs at least 1 answer") }
        if answerTokens < 1 { throw ValidationError("--answer-tokens must be at least 1") }
        if navigate == nil && answerTokens != NavigationOptions().maxAnswerTokens {
            throw ValidationError("--answer-tokens needs --navigate")
        }
    }
}

extension GenerateCommand {
    func validateNavigation() throws {
        guard navigateOptions.navigate != nil else { return }
        if cautiousOptions.cautious || speculate != .none || byteLevel || tokenHealing {
            throw ValidationError("--navigate does not combine with --cautious, --speculate, --byte-level or --token-healing")
        }
        if temperature != 0 { throw ValidationError("--navigate completes answers greedily: drop --temperature") }
    }

    func runNavigation(answers count: Int) throws {
        var options = NavigationOptions()
        options.runs = count
        options.answersPerRun = 1
        options.maxAnswerTokens = navigateOptions.answerTokens
        options.systemPrompt = system
        options.threads = modelOptions.threads
        let instruction = prompt ?? StandardInput.readText()
        let model = try modelOptions.load()
        let result = try model.navigate(instruction, options: options)
        let answers = result.answers.map(\.text)
        if json {
            try JSONOutput.print(NavigateOutput(answers: answers, navigation: .init(options, result)))
        } else {
            for answer in answers { print(answer) }
        }
        StandardError.print("navigation: \(answers.count) answers, \(result.probedFirstTokens) first tokens probed, "
            + "\(result.forwardRows) forward rows")
    }
}

/// `generate --navigate N --json`.
struct NavigateOutput: Encodable {
    struct Settings: Encodable {
        let runs: Int
        let answers_per_run: Int
        let max_answer_tokens: Int
        let regularized: Bool
        let probed_first_tokens: Int
        let forward_rows: Int

        init(_ options: NavigationOptions, _ result: NavigationResult) {
            runs = options.runs
            answers_per_run = options.answersPerRun
            max_answer_tokens = options.maxAnswerTokens
            regularized = options.regularized
            probed_first_tokens = result.probedFirstTokens
            forward_rows = result.forwardRows
        }
    }

    let answers: [String]
    let navigation: Settings
}
