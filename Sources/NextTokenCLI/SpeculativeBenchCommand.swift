import ArgumentParser
import Foundation
import NextToken
import NextTokenSampling

/// `nexttoken bench speculative`: speed-up and τ of each speculative method over plain decoding,
/// per workload category, with a check that every output equals plain decoding's.
struct SpeculativeBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speculative",
        abstract: "Benchmark lossless speculative decoding against plain greedy decoding on a workload.")

    @Option(help: "JSON Lines with `prompt` or `turns`, and `category`/`subtask` when present.")
    var workload: String

    @Option(help: "Use the first N prompts.")
    var limit: Int?

    @Option(help: "Use the first N prompts of each category (before --limit).")
    var perCategory: Int?

    @Option(help: "Comma-separated methods; `none` (plain decoding) is always run as the baseline.")
    var methods = "lookup,llama-lookup,recycling,goose"

    @Option(help: "New tokens per prompt.")
    var maxNewTokens = 128

    @OptionGroup var speculationOptions: SpeculationTuningOptions

    @OptionGroup var modelOptions: ModelOptions

    @Flag(help: "llama-lookup: use and update the dynamic n-gram cache under $NEXTTOKEN_HOME (by default each request starts from an empty one, so earlier runs of the same prompts cannot inflate the figures).")
    var persistLookupCache = false

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() async throws {
        let requested = try methods.split(separator: ",").map { name -> SpeculationMethod in
            guard let method = SpeculationMethod(rawValue: String(name)) else {
                throw ValidationError("unknown method '\(name)'")
            }
            return method
        }.filter { $0 != .none }
        if let perCategory, perCategory < 1 { throw ValidationError("--per-category must be at least 1") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        let items = try WorkloadItem.load(workload, perCategory: perCategory, limit: limit)
        guard !items.isEmpty else { throw ValidationError("the workload has no prompts") }
        let model = try modelOptions.load()
        var results: [String: MethodResult] = [:]
        // Prompt by prompt, every method in turn (the order rotating from prompt to prompt), so
        // that the machine's drift in speed falls on all methods alike.
        let order: [SpeculationMethod] = [.none] + requested
        for (index, item) in items.enumerated() {
            var runs: [SpeculationMethod: Run] = [:]
            for offset in order.indices {
                let method = order[(index + offset) % order.count]
                runs[method] = try Run(model.complete(item.prompt, options: options(method, chat: item.chat)), item)
            }
            // Every method ran, the baseline included.
            let plain = runs[.none]!
            for (method, run) in runs { results[method.rawValue, default: MethodResult()].add(run, plain: plain) }
        }
        if json {
            try JSONOutput.print(["methods": results.mapValues(\.output)])
        } else {
            print("method        tok/s  speedup   tau  identical  (by category: speedup/tau)")
            for name in ["none"] + requested.map(\.rawValue) {
                guard let output = results[name]?.output else { continue }
                let categories = output.by_category.sorted { $0.key < $1.key }
                    .map { "\($0.key) \(String(format: "%.2f", $0.value.speedup))/\(String(format: "%.2f", $0.value.tau))" }
                print(String(format: "%-12@ %6.1f  %6.2fx  %4.2f  %4d/%-4d ", name as NSString, output.tokens_per_second,
                             output.speedup, output.tau, output.identical, output.prompts)
                      + categories.joined(separator: ", "))
            }
        }
    }

    private func options(_ method: SpeculationMethod, chat: Bool) -> GenerationOptions {
        var options = GenerationOptions()
        options.maxTokens = maxNewTokens
        options.chat = chat
        options.speculation = method
        options.persistLookupCache = persistLookupCache
        speculationOptions.apply(to: &options)
        options.threads = modelOptions.threads
        return options
    }
}

/// One prompt of a workload file.
struct WorkloadItem {
    let prompt: String
    let category: String
    /// Instruction prompts get the chat template; code completions (HumanEval) stay raw.
    let chat: Bool

    /// The file's prompts in order: at most `perCategory` of each category, at most `limit` in all.
    static func load(_ path: String, perCategory: Int? = nil, limit: Int?) throws -> [WorkloadItem] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var items: [WorkloadItem] = []
        var taken: [String: Int] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
            let turns = object["turns"] as? [String]
            guard let prompt = (object["prompt"] as? String) ?? turns?.first else {
                throw ValidationError("a workload line has neither `prompt` nor `turns`")
            }
            let category = (object["category"] as? String) ?? (object["subtask"] as? String) ?? "all"
            if let perCategory, taken[category, default: 0] >= perCategory { continue }
            taken[category, default: 0] += 1
            items.append(WorkloadItem(prompt: prompt, category: category, chat: turns != nil || object["category"] != nil))
            if let limit, items.count >= limit { break }
        }
        return items
    }
}

/// One generation's outcome in the benchmark.
struct Run {
    let tokens: [Int32]
    let seconds: Double
    let steps: Int
    let emitted: Int
    let draftingSteps: Int
    let draftingEmitted: Int
    let category: String

    init(_ summary: GenerationSummary, _ item: WorkloadItem) {
        tokens = summary.tokens
        seconds = summary.generationDuration.milliseconds / 1000
        steps = summary.speculation?.steps ?? max(summary.tokens.count - 1, 0)
        emitted = summary.speculation?.emitted ?? max(summary.tokens.count - 1, 0)
        draftingSteps = summary.speculation?.draftingSteps ?? 0
        draftingEmitted = summary.speculation?.draftingEmitted ?? 0
        category = item.category
    }
}

/// Totals of one method over the workload, overall and per category.
struct MethodResult {
    struct Totals {
        var tokens = 0, steps = 0, emitted = 0, identical = 0, prompts = 0, draftingSteps = 0, draftingEmitted = 0
        var seconds = 0.0, plainSeconds = 0.0

        mutating func add(_ run: Run, plain: Run) {
            tokens += run.tokens.count
            steps += run.steps
            emitted += run.emitted
            draftingSteps += run.draftingSteps
            draftingEmitted += run.draftingEmitted
            seconds += run.seconds
            plainSeconds += plain.seconds
            prompts += 1
            if run.tokens == plain.tokens { identical += 1 }
        }
    }

    var total = Totals()
    var categories: [String: Totals] = [:]

    mutating func add(_ run: Run, plain: Run) {
        total.add(run, plain: plain)
        categories[run.category, default: Totals()].add(run, plain: plain)
    }

    struct CategoryOutput: Encodable {
        let speedup: Double
        let tau: Double
    }

    struct Output: Encodable {
        let tokens_per_second: Double
        let speedup: Double
        let tau: Double
        /// τ over the steps that carried drafts (adaptive probe and pause steps left out).
        let tau_when_drafting: Double
        let drafting_steps: Int
        let steps: Int
        let identical: Int
        let prompts: Int
        let by_category: [String: CategoryOutput]
    }

    var output: Output {
        func speedup(_ t: Totals) -> Double { t.seconds > 0 ? t.plainSeconds / t.seconds : 0 }
        func tau(_ t: Totals) -> Double { t.steps > 0 ? Double(t.emitted) / Double(t.steps) : 0 }
        return Output(
            tokens_per_second: total.seconds > 0 ? Double(total.tokens) / total.seconds : 0,
            speedup: speedup(total), tau: tau(total),
            tau_when_drafting: total.draftingSteps > 0 ? Double(total.draftingEmitted) / Double(total.draftingSteps) : 0,
            drafting_steps: total.draftingSteps, steps: total.steps, identical: total.identical, prompts: total.prompts,
            by_category: categories.mapValues { CategoryOutput(speedup: speedup($0), tau: tau($0)) })
    }
}
