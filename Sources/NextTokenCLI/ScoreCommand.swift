import ArgumentParser
import Foundation
import NextToken
import NextTokenByteLevel

/// `nexttoken score`: the log-probability of a text, token by token (teacher forcing with the
/// canonical encoding) or byte by byte (design §6).
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a text: per-token (default) or per-byte log-probabilities, total, bits per byte, perplexity.")

    @Argument(help: "A text file; stdin when omitted.")
    var file: String?

    @OptionGroup var modelOptions: ModelOptions

    @OptionGroup var ensembleOptions: EnsembleOptions

    @Flag(help: "Score byte by byte with a byte-level distribution instead of token by token.")
    var byteLevel = false

    @Option(help: "Byte-level method(s), comma-separated: exact (default), token-healing, naive.")
    var method = "exact"

    @Option(help: "Validity pruning of the exact method: fast (default), strict, top-mass.")
    var pruning: PruningMode = .fast

    @Flag(help: "Print per-token features instead of a score: log-probability, rank, entropy, top-k mass (as `nexttoken features`).")
    var features = false

    @OptionGroup var featureOptions: FeatureOptions

    @Flag(help: "Print one JSON object: {\"tokens\",\"bytes\",\"total_logprob\",\"bits_per_byte\",\"perplexity\"} (natural-log total); one per method, with \"method\", when several are given.")
    var json = false

    var methods: [ByteScoringMethod] {
        get throws {
            try method.split(separator: ",").map { name in
                guard let method = ByteScoringMethod(rawValue: String(name)) else {
                    throw ValidationError("unknown --method '\(name)' (exact, token-healing, naive)")
                }
                return method
            }
        }
    }

    func validate() throws {
        let methods = try methods
        if methods.isEmpty { throw ValidationError("--method is empty") }
        if !byteLevel && methods != [.exact] { throw ValidationError("--method needs --byte-level") }
        if features && (byteLevel || ensembleOptions.ensemble != nil || json) {
            throw ValidationError("--features scores token by token with one model; choose its output with --format")
        }
        if ensembleOptions.ensemble != nil {
            if !byteLevel { throw ValidationError("--ensemble scores byte by byte: add --byte-level") }
            if methods != [.exact] { throw ValidationError("--ensemble uses the exact method only") }
            if modelOptions.model != nil { throw ValidationError("--ensemble replaces --model") }
        }
    }

    func run() throws {
        let text = try file.map { path -> String in
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read \(path)")
            }
            return String(decoding: data, as: UTF8.self)
        } ?? StandardInput.readText()
        if features {
            try FeaturesCommand.write(model: try modelOptions.load(), text: text, options: featureOptions,
                                      threads: modelOptions.threads)
            return
        }
        var options = ByteLevelOptions()
        options.pruning = pruning
        options.threads = modelOptions.threads
        let methods = try methods
        let scores: [(String?, TextScore)]
        if let ensemble = try ensembleOptions.load() {
            scores = [(nil, try ensemble.scoreBytes(text, options: options))]
        } else if byteLevel {
            let model = try modelOptions.load()
            let results = try model.scoreBytes(text, methods: methods, options: options)
            scores = zip(methods, results).map { (methods.count > 1 ? $0.rawValue : nil, $1) }
        } else {
            scores = [(nil, try modelOptions.load().scoreTokens(text, threads: modelOptions.threads))]
        }
        for (method, score) in scores {
            if json {
                try JSONOutput.print(ScoreOutput(score, method: method))
                continue
            }
            if scores.count == 1 {
                for (index, unit) in score.units.enumerated() {
                    let token = unit.token.map { "\t\($0)" } ?? ""
                    print("\(index)\(token)\t" + String(format: "%.6f", unit.logProbability) + "\t" + Self.printable(unit.bytes))
                }
            }
            print((method.map { "\($0): " } ?? "") + String(
                format: "tokens %d, bytes %d, total %.4f nats, %.4f bits/byte, perplexity %.4f",
                score.tokenCount, score.byteCount, score.totalLogProbability, score.bitsPerByte, score.perplexity))
        }
    }

    /// `bytes` as a quoted string: escaped text when they are valid UTF-8, else `\xNN` bytes.
    static func printable(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.elementsEqual(bytes) else {
            return "\"" + bytes.map { String(format: "\\x%02X", $0) }.joined() + "\""
        }
        return "\"" + text.unicodeScalars.map { $0.escaped(asASCII: false) }.joined() + "\""
    }
}

/// The `--json` shape of `score`.
struct ScoreOutput: Encodable {
    let method: String?
    let tokens: Int
    let bytes: Int
    let total_logprob: Double
    let bits_per_byte: Double
    let perplexity: Double

    init(_ score: TextScore, method: String?) {
        self.method = method
        tokens = score.tokenCount
        bytes = score.byteCount
        total_logprob = score.totalLogProbability
        bits_per_byte = score.bitsPerByte
        perplexity = score.perplexity
    }
}
