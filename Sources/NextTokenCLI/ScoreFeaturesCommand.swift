import ArgumentParser
import Foundation
import NextToken
import NextTokenKernels
import NextTokenProbes

/// `nexttoken features`: per-token features of a text (log-probability of each observed token,
/// its rank, the entropy and top-k mass of the predicted distribution, optionally the final
/// hidden state), as JSON Lines or CSV. ``write(model:text:options:threads:)``
/// is the whole command, for `score --features` to call.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Per-token features of a text: log-probability, rank, entropy, top-k mass, optional hidden state.",
        discussion: """
        The text is encoded as a prompt (BOS first when the model asks for it) and evaluated teacher-forced; \
        each token after the first gets one line, predicted from the tokens before it. Log-probabilities and \
        entropies are in nats; rank 1 is the greedy choice (ties share the better rank). --hidden adds the final \
        hidden state the prediction came from (after the output norm).
        """)

    @Argument(help: "A text file (stdin when omitted).")
    var file: String?

    @OptionGroup var featureOptions: FeatureOptions

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let text = try file.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? StandardInput.readText()
        try Self.write(model: try modelOptions.load(), text: text, options: featureOptions, threads: modelOptions.threads)
    }

    /// Writes the features of every token of `text` after the first to standard output.
    ///
    /// - Throws: the model's errors (a text longer than its context), ``ProbeError`` for `topK < 1`.
    static func write(model: Model, text: String, options: FeatureOptions, threads: Int?) throws {
        let tokens = model.tokenizer.encodePrompt(text, parseSpecial: false)
        guard tokens.count <= model.languageModel.contextLength else {
            throw ValidationError("the text has \(tokens.count) tokens; the model's context is \(model.languageModel.contextLength)")
        }
        let pool = WorkerPool(threadCount: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let features = try TokenFeatureExtractor(model: model.languageModel, pool: pool)
            .features(of: tokens, topK: options.topK, includeHidden: options.hidden)
        let writer = TokenFeatureWriter(format: options.format, includeHidden: options.hidden)
        var output = ""
        if let header = writer.header(hiddenWidth: features.first?.hidden?.count ?? 0) { output += header + "\n" }
        for feature in features {
            let piece = (try? model.tokenizer.tokenBytes(feature.token)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            output += writer.line(feature, piece: piece) + "\n"
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}

extension TokenFeatureFormat: ExpressibleByArgument {}
