import Foundation
import NextTokenCore
import NextTokenGGUF
import NextTokenKernels
import NextTokenModel
import NextTokenTestSupport
import Testing

/// The int8 precision (8-bit activations, f16 KV cache) against an exact float64 forward pass,
/// next to llama.cpp (which computes the same way) against the same float64 pass: over llama.cpp's
/// top-10 tokens at every position of the reference sequences (shared/testdata/reference), our
/// log-probabilities may stray from float64 no further than llama.cpp's do, on the median, the
/// 99th percentile and the maximum.
@Suite("int8 precision is no further from float64 than llama.cpp", .serialized)
struct PrecisionAccuracyTests {
    struct Deviations {
        var ours: [Double] = []
        var llamaCpp: [Double] = []
        var agreeingTop1 = 0
        var exactAgreeingTop1 = 0
        var positions = 0
    }

    static func statistics(_ values: [Double]) -> (median: Double, p99: Double, max: Double) {
        let sorted = values.sorted()
        return (sorted[sorted.count / 2], sorted[Int(Double(sorted.count - 1) * 0.99)], sorted.last!)
    }

    static func logSumExp<C: Collection>(_ row: C) -> Double where C.Element == Double {
        let m = row.max() ?? 0
        return m + Foundation.log(row.reduce(0.0) { $0 + Foundation.exp($1 - m) })
    }

    static func argmax<C: Collection>(_ row: C) -> Int where C.Element: Comparable, C.Index == Int {
        row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }! - row.startIndex
    }

    @Test("median, p99 and max |Δ log-prob| to float64 are no larger than llama.cpp's", arguments: ["smollm2", "gemma3"])
    func noFurtherThanLlamaCpp(name: String) throws {
        let file = try GGUFFile(path: try TestModels.requireOrSkip(name))
        let model = try ModelLoader.load(file)
        let exact: ([TokenID]) -> [[Double]]
        switch model {
        case let llama as LlamaModel: exact = { ReferenceLlama(model: llama).logits($0) }
        case let gemma as Gemma3Model: exact = { ReferenceGemma(model: gemma).logits($0) }
        default: throw ModelError.invalidBatch("no float64 reference for \(name)")
        }
        let records = try SharedData.jsonLines(
            LlamaCppReferenceTests.Record.self,
            LlamaCppReferenceTests.referencePrefix[name, default: ""] + "-logits.jsonl")
        #expect(records.count == 8)
        let pool = WorkerPool(threadCount: 2)
        let v = model.vocabularySize
        var deviations = Deviations()
        for record in records {
            let context = model.makeContext(capacity: record.tokens.count, pool: pool, precision: .int8)
            let ours = try model.logits(ForwardBatch(tokens: record.tokens, startingAt: 0), context: context,
                                        logitRows: Array(record.tokens.indices))
            let float64 = exact(record.tokens)
            for position in record.tokens.indices {
                let row = ours[position * v ..< (position + 1) * v].map(Double.init)
                let ourLogSum = Self.logSumExp(row)
                let exactLogSum = Self.logSumExp(float64[position])
                let reference = record.top10[position].map { (id: Int($0[0]), logit: $0[1]) }
                for entry in reference {
                    let exactLogProb = float64[position][entry.id] - exactLogSum
                    deviations.ours.append(abs(row[entry.id] - ourLogSum - exactLogProb))
                    deviations.llamaCpp.append(abs(entry.logit - record.logsumexp[position] - exactLogProb))
                }
                deviations.positions += 1
                if Self.argmax(row) == reference[0].id { deviations.agreeingTop1 += 1 }
                if Self.argmax(float64[position]) == reference[0].id { deviations.exactAgreeingTop1 += 1 }
            }
        }
        let ours = Self.statistics(deviations.ours)
        let theirs = Self.statistics(deviations.llamaCpp)
        let agreement = Double(deviations.agreeingTop1) / Double(deviations.positions)
        let exactAgreement = Double(deviations.exactAgreeingTop1) / Double(deviations.positions)
        print("\(name) |Δ log-prob| to float64 over llama.cpp's top 10: int8 median \(ours.median) p99 \(ours.p99) max \(ours.max);"
              + " llama.cpp median \(theirs.median) p99 \(theirs.p99) max \(theirs.max);"
              + " top-1 agreement with llama.cpp: int8 \(agreement), float64 \(exactAgreement)")
        #expect(ours.median <= theirs.median, "\(name) median")
        #expect(ours.p99 <= theirs.p99, "\(name) p99")
        #expect(ours.max <= theirs.max, "\(name) max")
        // llama.cpp's top-1 is ours about as often as it is the exact pass's: at most 2% of the
        // positions more disagree (measured: SmolLM2 0.979 vs 0.968, Gemma 3 0.956 vs 0.963).
        #expect(agreement >= exactAgreement - 0.02, "\(name) top-1 agreement")
    }
}
