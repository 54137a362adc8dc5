import ArgumentParser
import Foundation
import NextToken
import NextTokenGGUF
import NextTokenKernels
import NextTokenModelStore
import NextTokenProbes
import NextTokenTokenizer

/// `nexttoken probe tokenization`: non-canonical encodings of words, the model's mass on them,
/// and the replacement probe's phantom edits (algorithms §7).
struct ProbeTokenizationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenization",
        abstract: "Enumerate and classify non-canonical encodings; score their mass; run the replacement probe.",
        discussion: """
        Without --replace: for each word of TEXT (stdin when omitted) or of --words FILE, count the token \
        sequences that decode to the same bytes as the tokenizer's, list up to --limit of them and classify how \
        they differ. --mass (text only) also scores each word's encodings with the model in context.
        With --replace: ask the model to replace a target word in each sentence of the prompt set and leave the \
        rest unchanged (greedy), and report edits, phantom edits (same text, other ids), refusals and \
        collateral changes; --mass also scores the model's mass on non-canonical encodings of its own outputs.
        """)

    @Argument(help: "The text whose words are probed (stdin when neither TEXT, --words nor --replace is given).")
    var text: String?

    @Option(help: "A file of words, one per line, each probed on its own.")
    var words: String?

    @Flag(inversion: .prefixedNo, help: "Probe each --words entry after a space, as it appears inside a sentence.")
    var leadingSpace = true

    @Option(help: "Most non-canonical encodings listed (and classified) per word.")
    var limit = 100

    @Flag(help: "Let control tokens spell their literal text too.")
    var includeControlTokens = false

    @Flag(help: "Score each word's encodings with the model (the text's words, or the --replace outputs).")
    var mass = false

    @Option(help: "--mass: expand partial encodings down to this fraction of the canonical encoding's probability.")
    var threshold = 1e-6

    @Option(help: "--mass: most partial encodings evaluated per word.")
    var maxNodes = 64

    @Flag(help: "Run the replacement probe (§7.3) instead of listing encodings.")
    var replace = false

    @Option(help: "--replace: a JSON Lines file of {\"sentence\",\"target\"} (default: the built-in set of 32).")
    var prompts: String?

    @Option(help: "--replace: run only the first N prompts.")
    var maxPrompts: Int?

    @OptionGroup var modelOptions: ModelOptions

    @Flag(help: "One JSON object per word or trial, then (for --replace) a summary object.")
    var json = false

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must not be negative") }
        if !(threshold > 0 && threshold <= 1) { throw ValidationError("--threshold must be in (0, 1]") }
        if maxNodes < 0 { throw ValidationError("--max-nodes must not be negative") }
        if let maxPrompts, maxPrompts < 1 { throw ValidationError("--max-prompts must be at least 1") }
        if words != nil, text != nil { throw ValidationError("give TEXT or --words, not both") }
        if words != nil, mass { throw ValidationError("--mass scores words in context: give a TEXT, or use --replace") }
        if replace, words != nil || text != nil { throw ValidationError("--replace takes no TEXT or --words") }
        if !replace, prompts != nil || maxPrompts != nil { throw ValidationError("--prompts and --max-prompts need --replace") }
    }

    func run() throws {
        if replace || mass {
            let model = try modelOptions.load()
            let probe = TokenizationProbe(tokenizer: model.tokenizer, includeControlTokens: includeControlTokens)
            let pool = WorkerPool(threadCount: modelOptions.threads ?? ProcessInfo.processInfo.activeProcessorCount)
            if replace {
                try runReplacement(model: model, probe: probe, pool: pool)
            } else {
                let input = text ?? StandardInput.readText()
                try report(probe.probe(text: input, limit: limit), masses: scorer(model, probe, pool)
                    .score(text: input, context: PromptContext.start(of: model.tokenizer)))
            }
            return
        }
        let probe = TokenizationProbe(tokenizer: try loadTokenizer(), includeControlTokens: includeControlTokens)
        if let words {
            let list = try String(contentsOfFile: words, encoding: .utf8).split(whereSeparator: \.isNewline)
                .map(String.init).filter { !$0.isEmpty }
            try report(list.map { probe.probe(word: $0, leadingSpace: leadingSpace, limit: limit) }, masses: nil)
        } else {
            try report(probe.probe(text: text ?? StandardInput.readText(), limit: limit), masses: nil)
        }
    }

    /// The tokenizer alone (no transformer needed to enumerate encodings).
    private func loadTokenizer() throws -> Tokenizer {
        let path = try ModelStore().resolve(modelOptions.model)
        return try Tokenizer(vocabulary: TokenizerVocabulary(metadata: try GGUFFile(path: path).metadata))
    }

    private func scorer(_ model: Model, _ probe: TokenizationProbe, _ pool: WorkerPool) -> EncodingMassScorer {
        var options = EncodingMassScorer.Options()
        options.relativeThreshold = threshold
        options.maxEvaluatedNodes = maxNodes
        return EncodingMassScorer(model: model.languageModel, probe: probe, pool: pool, options: options)
    }

    /// Prints word reports, with their masses when scored (matched by their place in the text).
    private func report(_ reports: [WordEncodings], masses: [EncodingMass]?) throws {
        let massByWord: [EncodingMass?] = reports.map { report in
            masses?.first { $0.byteRange == report.byteRange }
        }
        if json {
            for (report, mass) in zip(reports, massByWord) { try ProbeJSON.print(WordEncodingsLine(report, mass: mass)) }
        } else {
            for (report, mass) in zip(reports, massByWord) { print(Self.row(report, mass: mass)) }
        }
        StandardError.print(WordSummary(reports).text)
        if let masses { StandardError.print(MassSummaryLine(EncodingMassSummary(masses)).text) }
    }

    private static func row(_ report: WordEncodings, mass: EncodingMass?) -> String {
        let classes = report.classCounts.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
        var line = "\(report.text.debugDescription)\ttokens \(report.canonical.count)\tencodings \(report.count)"
            + "\tlisted \(report.encodings.count)\t" + classes.joined(separator: ", ")
        if let mass {
            line += "\tnon-canonical share \(ProbeNumber.short(mass.nonCanonicalShare)) (\(mass.alternativesFound) found)"
        }
        return line
    }

    private func runReplacement(model: Model, probe: TokenizationProbe, pool: WorkerPool) throws {
        var set = ReplacementPrompt.standardSet
        if let prompts {
            set = try String(contentsOfFile: prompts, encoding: .utf8).split(whereSeparator: \.isNewline).map {
                try JSONDecoder().decode(ReplacementPrompt.self, from: Data($0.utf8))
            }
        }
        if let maxPrompts { set = Array(set.prefix(maxPrompts)) }
        var chat = GenerationOptions()
        chat.chat = true
        let runner = ReplacementProbe(model: model.languageModel, probe: probe, pool: pool) {
            try model.promptTokens(for: $0.instruction, options: chat)
        }
        let scorer = mass ? scorer(model, probe, pool) : nil
        var trials: [ReplacementTrial] = []
        var allMasses: [EncodingMass] = []
        for prompt in set {
            let trial = try runner.run(prompt)
            trials.append(trial)
            var summary: EncodingMassSummary?
            if let scorer {
                let masses = try scorer.score(text: trial.outputText, context: try runner.promptTokens(prompt))
                allMasses += masses
                summary = EncodingMassSummary(masses)
            }
            if json {
                try ProbeJSON.print(ReplacementTrialLine(trial, mass: summary))
            } else {
                let change = trial.replacement.map { " → \($0.debugDescription)" } ?? ""
                print("\(trial.outcome.rawValue)\t\(prompt.target.debugDescription)\(change)\t"
                    + "\(trial.outputText.debugDescription)"
                    + (trial.differences.isEmpty ? "" : "\tnon-canonical: " + trial.classes.sorted().map(\.rawValue).joined(separator: ", ")))
            }
        }
        let summary = ReplacementSummaryLine(ReplacementSummary(trials), mass: scorer == nil ? nil : EncodingMassSummary(allMasses))
        if json {
            try ProbeJSON.print(["summary": summary])
        } else {
            print(ReplacementSummaryText(summary).text)
        }
    }
}

/// The context a text is scored after: BOS when the model starts prompts with it.
enum PromptContext {
    static func start(of tokenizer: Tokenizer) -> [Int32] {
        tokenizer.addsBOS ? [tokenizer.bos].compactMap { $0 } : []
    }
}

/// The summary of word reports, as one line of text.
struct WordSummary {
    let text: String

    init(_ reports: [WordEncodings]) {
        let counts = reports.map { Double($0.alternativeCount) }.sorted()
        let median = counts.isEmpty ? 0 : counts[counts.count / 2]
        let mean = counts.isEmpty ? 0 : counts.reduce(0, +) / Double(counts.count)
        var classes: [ArtifactClass: Int] = [:]
        for report in reports { classes.merge(report.classCounts, uniquingKeysWith: +) }
        let listed = reports.reduce(0) { $0 + $1.encodings.count }
        let shares = classes.sorted { $0.value > $1.value }
            .map { "\($0.key.rawValue) \(ProbeNumber.percent(Double($0.value) / Double(max(1, listed))))" }
        text = "\(reports.count) words: non-canonical encodings per word mean \(ProbeNumber.short(mean)), median "
            + "\(ProbeNumber.short(median)), max \(ProbeNumber.short(counts.last ?? 0)); \(listed) listed, by class: "
            + shares.joined(separator: ", ")
    }
}

/// The summary of the replacement probe, as text.
struct ReplacementSummaryText {
    let text: String

    init(_ summary: ReplacementSummaryLine) {
        let outcomes = summary.outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        let classes = summary.phantomClassShares.sorted { $0.value > $1.value }.map { "\($0.key) \(ProbeNumber.percent($0.value))" }
        var lines = [
            "trials \(summary.trials): " + outcomes.joined(separator: ", "),
            "phantom edits: \(ProbeNumber.percent(summary.phantomEditShare)) of trials, \(summary.phantomEditsTouchingTarget) touching the target"
                + (classes.isEmpty ? "" : "; classes: " + classes.joined(separator: ", ")),
            "non-canonical outputs \(summary.nonCanonicalOutputs); non-canonical word rate \(ProbeNumber.short(summary.nonCanonicalWordRate))",
        ]
        if let mass = summary.mass { lines.append(mass.text) }
        text = lines.joined(separator: "\n")
    }
}
