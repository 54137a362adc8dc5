import ArgumentParser
import Foundation
import NextToken
import NextTokenKernels
import NextTokenModel

/// `nexttoken logits`: teacher-forced logits of a token sequence.
struct LogitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logits",
        abstract: "Evaluate a token sequence in one batch and print each position's top logits.")

    @Option(help: "Comma-separated token ids (fed as given: no BOS is added).")
    var tokens: String

    @Option(name: .customLong("top-k"), help: "Entries per position.")
    var topK = 10

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var precisionOption: PrecisionOption

    @Flag(help: "One JSON object per position: {\"position\",\"token\",\"top\":[[id,logit]…],\"logsumexp\"}.")
    var json = false

    func validate() throws {
        if topK < 1 { throw ValidationError("--top-k must be at least 1") }
    }

    func run() throws {
        let ids = try TokenList.parse([tokens])
        guard !ids.isEmpty else { throw ValidationError("--tokens is empty") }
        let model = try modelOptions.load()
        let lm = model.languageModel
        let pool = WorkerPool(threadCount: modelOptions.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let context = lm.makeContext(capacity: ids.count, pool: pool, precision: precisionOption.precision)
        let logits = try lm.logits(ForwardBatch(tokens: ids, startingAt: 0), context: context,
                                   logitRows: Array(ids.indices))
        let v = lm.vocabularySize
        for (position, token) in ids.enumerated() {
            let row = logits[position * v ..< (position + 1) * v]
            let top = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }.prefix(topK)
            let maximum = Double(row.max() ?? 0)
            let lse = maximum + log(row.reduce(0.0) { $0 + exp(Double($1) - maximum) })
            let entries = top.map { LogitsLine.Entry(id: $0 - position * v, logit: row[$0]) }
            if json {
                try JSONOutput.print(LogitsLine(position: position, token: token, top: entries, logsumexp: lse))
            } else {
                print("\(position)\t\(token)\tlse=\(lse)\t" + entries.map { "\($0.id):\($0.logit)" }.joined(separator: " "))
            }
        }
    }
}

/// One `--json` line of `logits`.
struct LogitsLine: Encodable {
    struct Entry: Encodable {
        let id: Int
        let logit: Float

        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(id)
            try container.encode(logit)
        }
    }

    let position: Int
    let token: Int32
    let top: [Entry]
    let logsumexp: Double
}
