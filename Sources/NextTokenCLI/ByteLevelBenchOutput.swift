import Foundation
import NextToken
import NextTokenByteLevel

/// The report of `bench byte-level`: its `--json` shape, and its tables.
struct ByteLevelBenchOutput: Encodable {
    /// Exact match of one method on one model.
    struct MethodScore: Encodable {
        let method: String
        let matches: Int
        let exact_match: Double
        let seconds: Double
    }

    /// One cut: where, the end of its prompt, the true rest and each method's completion.
    struct Sample: Encodable {
        let offset: Int
        let prompt_tail: String
        let truth: String
        let completions: [String: String]
        let matches: [String: Bool]
    }

    /// Next-word completion by one model.
    struct Completion: Encodable {
        let model: String
        let samples: Int
        let methods: [MethodScore]
        let cuts: [Sample]
    }

    /// Bits per byte of one model or the ensemble.
    struct Bits: Encodable {
        let model: String
        let token_level: Double?
        let byte_level: Double
    }

    /// Bits per byte on all slices.
    struct BitsSection: Encodable {
        let slices: Int
        let bytes: Int
        let results: [Bits]
    }

    let corpus: String
    let corpus_bytes: Int
    let seed: UInt64
    let context_bytes: Int
    let word_completion: [Completion]
    let bits_per_byte: BitsSection?

    init(corpus: String, corpusBytes: Int, seed: UInt64, contextBytes: Int,
         completions: [(String, WordCompletionResult)], slices: Int, bits: [BitsPerByteResult]) {
        self.corpus = corpus
        corpus_bytes = corpusBytes
        self.seed = seed
        context_bytes = contextBytes
        word_completion = completions.map { name, result in
            Completion(
                model: name, samples: result.samples.count,
                methods: result.methods.enumerated().map { index, method in
                    MethodScore(method: method.rawValue, matches: result.matches(method),
                                exact_match: result.exactMatch(method), seconds: result.durations[index] / .seconds(1))
                },
                cuts: result.samples.map { sample in
                    let keys = result.methods.map(\.rawValue)
                    return Sample(
                        offset: sample.cut.offset,
                        prompt_tail: String(decoding: sample.cut.prompt.suffix(40).drop { $0 & 0xC0 == 0x80 }, as: UTF8.self),
                        truth: String(decoding: sample.cut.rest, as: UTF8.self),
                        completions: Dictionary(uniqueKeysWithValues: zip(keys, sample.completions.map {
                            String(decoding: $0.word, as: UTF8.self)
                        })),
                        matches: Dictionary(uniqueKeysWithValues: zip(keys, sample.completions.map { $0.matches(sample.cut.rest) })))
                })
        }
        bits_per_byte = bits.isEmpty ? nil : BitsSection(
            slices: slices, bytes: bits[0].bytes,
            results: bits.map { Bits(model: $0.label, token_level: $0.tokenLevel, byte_level: $0.byteLevel) })
    }

    /// Prints the report as Markdown tables.
    func printTables() {
        print("corpus: \(corpus) (\(corpus_bytes) bytes), seed \(seed)")
        if !word_completion.isEmpty {
            let samples = word_completion[0].samples
            print("\nnext-word exact match, \(samples) prompts of \(context_bytes) bytes cut inside words (seconds in parentheses):")
            let methods = word_completion[0].methods.map(\.method)
            print("| model | " + methods.joined(separator: " | ") + " |")
            print("|-------|" + methods.map { _ in "------:|" }.joined())
            for completion in word_completion {
                let cells = completion.methods.map {
                    String(format: "%d/%d = %.1f%% (%.1f s)", $0.matches, completion.samples, 100 * $0.exact_match, $0.seconds)
                }
                print("| \(completion.model) | " + cells.joined(separator: " | ") + " |")
            }
        }
        if let bits = bits_per_byte {
            print("\nbits per byte, \(bits.slices) slices, \(bits.bytes) bytes:")
            print("| model | token level | byte level |")
            print("|-------|------------:|-----------:|")
            for row in bits.results {
                let token = row.token_level.map { String(format: "%.4f", $0) } ?? "–"
                print("| \(row.model) | \(token) | " + String(format: "%.4f |", row.byte_level))
            }
        }
    }
}
