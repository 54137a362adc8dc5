import Foundation
import NextTokenCore
import NextTokenGGUF
import NextTokenKernels
import NextTokenModel
import NextTokenTestSupport
import Testing

/// Teacher-forced logits of both models against llama.cpp's (shared/testdata/reference).
@Suite("Real models against llama.cpp's reference logits", .serialized)
struct LlamaCppReferenceTests {
    struct Record: Decodable {
        let id: String
        let tokens: [TokenID]
        let top10: [[[Double]]]
        let logsumexp: [Double]
    }

    struct GreedyRecord: Decodable {
        let id: String
        let prompt_tokens: [TokenID]
        let tokens: [TokenID]
    }

    /// The reference files' prefix for each model.
    static let referencePrefix = [
        "smollm2": "testdata/reference/smollm2-135m-instruct-q4_1",
        "gemma3": "testdata/reference/gemma3-270m-q4_k_m",
    ]

    /// Agreement bounds per model. SmolLM2's are the issue's, calibrated on it. On Gemma 3 our fast
    /// path matches the float64 reference to 1.5e-5 logits (see `gemmaFloat64Reference`), so the
    /// distance to llama.cpp is llama.cpp's own error, measured over the 8 reference sequences as:
    /// top-1 agreement ≥ 0.907 (disagreement ≤ 9.3%), median |Δ log-prob| ≤ 0.132, 99th
    /// percentile ≤ 1.25, maximum ≤ 2.27 (llama.cpp's README reports up to 1.6 log-prob between its
    /// own batch sizes on Gemma). The bounds are twice those deviations, never looser.
    struct Bounds {
        let minimumAgreement, maximumMedian, maximumP99, maximumDelta: Double
    }

    static let bounds = [
        "smollm2": Bounds(minimumAgreement: 0.92, maximumMedian: 0.12, maximumP99: 0.8, maximumDelta: 2.5),
        "gemma3": Bounds(minimumAgreement: 1 - 2 * 0.093, maximumMedian: 2 * 0.132, maximumP99: 2 * 1.25,
                         maximumDelta: 2 * 2.27),
    ]

    static func model(_ name: String = "smollm2") throws -> any LanguageModel {
        try ModelLoader.load(try GGUFFile(path: try TestModels.requireOrSkip(name)))
    }

    static func logits(_ model: any LanguageModel, _ tokens: [TokenID], precision: Precision = .default) throws -> [Float] {
        let context = model.makeContext(capacity: tokens.count, pool: WorkerPool(threadCount: 2), precision: precision)
        return try model.logits(ForwardBatch(tokens: tokens, startingAt: 0), context: context,
                                logitRows: Array(tokens.indices))
    }

    static func logSumExp(_ row: ArraySlice<Float>) -> Double {
        let m = Double(row.max() ?? 0)
        return m + Foundation.log(row.reduce(0.0) { $0 + Foundation.exp(Double($1) - m) })
    }

    /// At the exact precision, where these bounds were calibrated; the int8 precision is held to
    /// llama.cpp's own distance from float64 in `PrecisionAccuracyTests`.
    @Test("teacher-forced f32 logits agree with llama.cpp within its activation-quantization noise",
          arguments: ["smollm2", "gemma3"])
    func logitsAgree(name: String) throws {
        let model = try Self.model(name)
        let v = model.vocabularySize
        let records = try SharedData.jsonLines(Record.self, Self.referencePrefix[name, default: ""] + "-logits.jsonl")
        #expect(records.count == 8)
        for record in records {
            let logits = try Self.logits(model, record.tokens, precision: .f32)
            var agreements = 0
            var deltas: [Double] = []
            for position in record.tokens.indices {
                let row = logits[position * v ..< (position + 1) * v]
                let ours = row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }! - position * v
                let lse = Self.logSumExp(row)
                let reference = record.top10[position].map { (id: Int($0[0]), logit: $0[1]) }
                if ours == reference[0].id {
                    agreements += 1
                } else {
                    let theirs = reference.first { $0.id == ours }
                    #expect(theirs != nil, "\(record.id)@\(position): our top-1 \(ours) is not in llama.cpp's top 10")
                    if let theirs {
                        #expect(reference[0].logit - theirs.logit <= 1.5, "\(record.id)@\(position)")
                        #expect(Double(row[row.startIndex + ours] - row[row.startIndex + reference[0].id]) <= 1.5,
                                "\(record.id)@\(position)")
                    }
                }
                for entry in reference {
                    let ourLogProb = Double(row[row.startIndex + entry.id]) - lse
                    deltas.append(abs(ourLogProb - (entry.logit - record.logsumexp[position])))
                }
            }
            deltas.sort()
            let agreement = Double(agreements) / Double(record.tokens.count)
            let median = deltas[deltas.count / 2]
            let p99 = deltas[Int(Double(deltas.count - 1) * 0.99)]
            print("\(record.id): top-1 \(agreement), median |Δlogp| \(median), p99 \(p99), max \(deltas.last!)")
            let bounds = try #require(Self.bounds[name])
            #expect(agreement >= bounds.minimumAgreement, "\(record.id)")
            #expect(median <= bounds.maximumMedian, "\(record.id)")
            #expect(p99 <= bounds.maximumP99, "\(record.id)")
            #expect(deltas.last! <= bounds.maximumDelta, "\(record.id)")
        }
    }

    @Test("llama.cpp's greedy choices are within 1.5 logits of our top-1 for 16 steps", arguments: ["smollm2", "gemma3"])
    func greedyContinuations(name: String) throws {
        let model = try Self.model(name)
        let v = model.vocabularySize
        let records = try SharedData.jsonLines(GreedyRecord.self, Self.referencePrefix[name, default: ""] + "-greedy.jsonl")
        #expect(records.count == 6)
        for record in records {
            let all = record.prompt_tokens + record.tokens
            let logits = try Self.logits(model, Array(all.prefix(record.prompt_tokens.count + 16)))
            for step in 0 ..< 16 {
                let position = record.prompt_tokens.count - 1 + step
                let row = logits[position * v ..< (position + 1) * v]
                let best = row.max()!
                let chosen = row[row.startIndex + Int(record.tokens[step])]
                #expect(best - chosen <= 1.5, "\(record.id) step \(step): gap \(best - chosen)")
            }
        }
    }

    @Test("the f32 path matches a float64 reference on SmolLM2 to float32 precision")
    func float64Reference() throws {
        let model = try LlamaModel(file: try GGUFFile(path: try TestModels.requireOrSkip("smollm2")))
        let tokens: [TokenID] = [504, 33059, 40061, 30324, 260, 6260]
        let fast = try Self.logits(model, tokens, precision: .f32)
        let reference = ReferenceLlama(model: model).logits(tokens)
        let v = model.vocabularySize
        for (position, row) in reference.enumerated() {
            var worst = 0.0
            for i in 0 ..< v { worst = max(worst, abs(Double(fast[position * v + i]) - row[i])) }
            print("position \(position): max |Δlogit| vs float64 \(worst)")
            #expect(worst < 1e-3, "position \(position)")
        }
    }

    @Test("the f32 path matches a float64 reference on Gemma 3 to float32 precision")
    func gemmaFloat64Reference() throws {
        let model = try Gemma3Model(file: try GGUFFile(path: try TestModels.requireOrSkip("gemma3")))
        let tokens: [TokenID] = [2, 818, 5279, 529, 7001, 563]
        let fast = try Self.logits(model, tokens, precision: .f32)
        let reference = ReferenceGemma(model: model).logits(tokens)
        let v = model.vocabularySize
        for (position, row) in reference.enumerated() {
            var worst = 0.0
            for i in 0 ..< v { worst = max(worst, abs(Double(fast[position * v + i]) - row[i])) }
            print("gemma3 position \(position): max |Δlogit| vs float64 \(worst)")
            #expect(worst < 1e-2, "position \(position)")
        }
    }

    @Test("batch invariance: every row bit-identical across batch sizes and threads, at both precisions",
          arguments: ["smollm2", "gemma3"], Precision.allCases)
    func batchInvariance(name: String, precision: Precision) throws {
        let model = try Self.model(name)
        let tokens: [TokenID] = (0 ..< 64).map { TokenID(($0 * 7919 + 17) % 49152) }
        func logits(chunk: Int, threads: Int) throws -> [UInt32] {
            let context = model.makeContext(capacity: 64, pool: WorkerPool(threadCount: threads), precision: precision)
            var all: [Float] = []
            var start = 0
            while start < tokens.count {
                let end = min(start + chunk, tokens.count)
                all += try model.logits(ForwardBatch(tokens: Array(tokens[start ..< end]), startingAt: start),
                                        context: context, logitRows: Array(0 ..< end - start))
                start = end
            }
            return all.map(\.bitPattern)
        }
        let baseline = try logits(chunk: 64, threads: 2)
        for (chunk, threads) in [(1, 1), (1, 2), (2, 1), (3, 2), (7, 1), (8, 1), (8, 2), (16, 2), (16, 1), (33, 1), (64, 1)] {
            #expect(try logits(chunk: chunk, threads: threads) == baseline, "chunk \(chunk), threads \(threads)")
        }
    }
}
