import ArgumentParser
import Foundation
import NextToken
import NextTokenKernels
import NextTokenModel
import NextTokenProbes

/// `nexttoken probe key-space`: clusters the output-embedding rows and measures how often mid-ranked
/// next tokens share a cluster with the top ones (algorithms §8.5).
struct ProbeKeySpaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key-space",
        abstract: "Cluster the output-embedding rows (k-means) and report how often mid-ranked next tokens share a cluster with the top tokens.",
        discussion: """
        For each prompt the top --top next tokens define the main clusters; each band of later ranks reports the \
        fraction of its tokens in a main cluster, beside the baseline: the fraction of the whole vocabulary in those \
        clusters (what random tokens would show).
        """)

    static let defaultPrompts = [
        "My favourite fruit is", "The first letter of the alphabet is", "A popular programming language is",
        "The capital of Japan is", "A famous scientist is", "The colour of the sky is",
    ]

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "Number of k-means clusters.")
    var clusters = 256

    @Option(help: "Most k-means iterations.")
    var iterations = 10

    @Option(help: "Seed of the k-means++ initialisation.")
    var seed: UInt64 = 0

    @Option(help: "Ranks whose clusters are the main ones.")
    var top = 10

    @Option(help: "Last rank of each band after the top ranks, comma-separated.")
    var bands = "20,50,100,1000"

    @Option(parsing: .singleValue, help: "A prompt whose next-token ranking is measured (repeatable; default: a built-in list).")
    var prompt: [String] = []

    @Flag(help: "Print the result as JSON on standard output.")
    var json = false

    /// The parsed `--bands`, `nil` when one is not a number.
    var bandEnds: [Int]? {
        let values = bands.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        return values.contains(nil) ? nil : values.compactMap { $0 }
    }

    func validate() throws {
        if clusters < 1 { throw ValidationError("--clusters must be at least 1") }
        if iterations < 1 { throw ValidationError("--iterations must be at least 1") }
        if top < 1 { throw ValidationError("--top must be at least 1") }
        guard let ends = bandEnds, let first = ends.first, first > top, zip(ends, ends.dropFirst()).allSatisfy({ $0 < $1 })
        else { throw ValidationError("--bands needs increasing ranks beyond --top, e.g. 20,50,100") }
    }

    func run() throws {
        let model = try modelOptions.load()
        let lm = model.languageModel
        let pool = WorkerPool(threadCount: modelOptions.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let clock = ContinuousClock()
        let start = clock.now
        let probe = try KeySpaceProbe(model: lm, clusterCount: clusters, maxIterations: iterations, seed: seed, pool: pool)
        let clusteringSeconds = (clock.now - start).seconds
        var lines: [KeySpacePromptLine] = []
        for text in prompt.isEmpty ? Self.defaultPrompts : prompt {
            let tokens = try model.promptTokens(for: text)
            let logits = try lm.logits(ForwardBatch(tokens: tokens, startingAt: 0),
                                       context: lm.makeContext(capacity: tokens.count, pool: pool),
                                       logitRows: [tokens.count - 1])
            let share = try probe.share(logits: logits, topCount: top, bandEnds: bandEnds ?? [])
            let topTokens = try share.topTokens.map { try model.detokenize([Int32($0)]) }
            lines.append(KeySpacePromptLine(prompt: text, topTokens: topTokens, share: share))
        }
        let summary = KeySpaceOutput(
            clusters: clusters, iterations: probe.clustering.iterations, seed: seed, top: top,
            clusteringSeconds: clusteringSeconds, prompts: lines)
        if json {
            try ProbeJSON.print(summary)
            return
        }
        print("k-means: \(clusters) clusters, \(probe.clustering.iterations) iterations, "
            + String(format: "%.1f s", clusteringSeconds))
        print((["prompt", "main_clusters", "baseline"] + (lines.first?.bands.map { "ranks_\($0.firstRank)-\($0.lastRank)" } ?? []))
            .joined(separator: "\t"))
        for line in lines + [summary.mean] {
            print(([line.prompt, "\(line.mainClusters)", String(format: "%.3f", line.baseline)]
                + line.bands.map { String(format: "%.3f", $0.share) }).joined(separator: "\t"))
        }
    }
}

/// One prompt's line of `probe key-space`.
struct KeySpacePromptLine: Encodable {
    struct Band: Encodable {
        let firstRank: Int
        let lastRank: Int
        let share: Double
    }

    let prompt: String
    let topTokens: [String]
    let mainClusters: Int
    let baseline: Double
    let bands: [Band]

    init(prompt: String, topTokens: [String], share: KeySpaceShare) {
        self.prompt = prompt
        self.topTokens = topTokens
        mainClusters = share.mainClusterCount
        baseline = share.baseline
        bands = share.bands.map { Band(firstRank: $0.firstRank, lastRank: $0.lastRank, share: $0.share) }
    }

    init(prompt: String, mainClusters: Int, baseline: Double, bands: [Band]) {
        self.prompt = prompt
        topTokens = []
        self.mainClusters = mainClusters
        self.baseline = baseline
        self.bands = bands
    }
}

/// The whole `probe key-space --json` object.
struct KeySpaceOutput: Encodable {
    let clusters: Int
    let iterations: Int
    let seed: UInt64
    let top: Int
    let clusteringSeconds: Double
    let prompts: [KeySpacePromptLine]

    let mean: KeySpacePromptLine

    init(clusters: Int, iterations: Int, seed: UInt64, top: Int, clusteringSeconds: Double, prompts: [KeySpacePromptLine]) {
        self.clusters = clusters
        self.iterations = iterations
        self.seed = seed
        self.top = top
        self.clusteringSeconds = clusteringSeconds
        self.prompts = prompts
        let count = Double(max(1, prompts.count))
        let bands = (prompts.first?.bands ?? []).indices.map { index in
            KeySpacePromptLine.Band(
                firstRank: prompts[0].bands[index].firstRank, lastRank: prompts[0].bands[index].lastRank,
                share: prompts.map { $0.bands[index].share }.reduce(0, +) / count)
        }
        mean = KeySpacePromptLine(
            prompt: "mean", mainClusters: Int((Double(prompts.map(\.mainClusters).reduce(0, +)) / count).rounded()),
            baseline: prompts.map(\.baseline).reduce(0, +) / count, bands: bands)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
