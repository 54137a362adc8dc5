import Foundation
import NextTokenCore
import NextTokenGGUF
import NextTokenKernels
import NextTokenModel
import NextTokenProbes
import NextTokenTestSupport
import Testing

@Suite("Per-token features")
struct TokenFeaturesTests {
    static let text = String(repeating: """
        Perplexity-based detectors look at how surprised a language model is by each token of a text: \
        the log-probability of the observed token, its rank among all candidates, and how spread out the \
        predicted distribution was. 
        """, count: 4)

    @Test("log-probabilities, ranks, entropies and top-k masses equal a direct computation on one batch's logits",
          arguments: ["smollm2", "gemma3"])
    func matchesDirectComputation(model name: String) throws {
        let (model, tokenizer) = try ProbeModels.model(name)
        let tokens = tokenizer.encodePrompt(Self.text, parseSpecial: false)
        let pool = WorkerPool(threadCount: 2)
        let features = try TokenFeatureExtractor(model: model, pool: pool).features(of: tokens, topK: 5)
        // The extractor works in chunks of at most 256 rows (fewer for a large vocabulary): the
        // text is long enough to need more than one for both models.
        #expect(tokens.count > (8 << 20) / model.vocabularySize)
        #expect(features.map(\.position) == Array(1 ..< tokens.count))
        #expect(features.map(\.token) == Array(tokens.dropFirst()))
        let context = model.makeContext(capacity: tokens.count, pool: pool)
        let rows = Array(0 ..< tokens.count - 1)
        let logits = try model.logits(ForwardBatch(tokens: Array(tokens.dropLast()), startingAt: 0), context: context,
                                      logitRows: rows)
        let v = model.vocabularySize
        for (row, feature) in zip(rows, features) {
            let values = logits[row * v ..< (row + 1) * v].map(Double.init)
            let maximum = values.max() ?? 0
            let sum = values.reduce(0.0) { $0 + exp($1 - maximum) }
            let logSumExp = maximum + log(sum)
            let observed = values[Int(feature.token)]
            #expect(abs(feature.logProbability - (observed - logSumExp)) < 1e-9)
            let probabilities = values.map { exp($0 - maximum) / sum }
            let entropy = -zip(probabilities, values).reduce(0.0) { $0 + ($1.0 > 0 ? $1.0 * ($1.1 - logSumExp) : 0) }
            #expect(abs(feature.entropy - entropy) < 1e-9 * max(1, entropy))
            #expect(feature.rank == 1 + values.filter { $0 > observed }.count)
            let top = probabilities.sorted(by: >).prefix(5).reduce(0, +)
            #expect(abs(feature.topKMass - top) < 1e-9)
            #expect(feature.hidden == nil)
        }
        #expect(features.contains { $0.rank == 1 } && features.contains { $0.rank > 1 })
    }

    @Test("the final hidden state times the output head gives the observed token's logit", arguments: ["smollm2"])
    func hiddenStateGivesTheLogit(model name: String) throws {
        let (model, tokenizer) = try ProbeModels.model(name)
        let llama = try #require(model as? LlamaModel)
        let tokens = Array(tokenizer.encodePrompt(Self.text, parseSpecial: false).prefix(40))
        let pool = WorkerPool(threadCount: 2)
        let features = try TokenFeatureExtractor(model: model, pool: pool).features(of: tokens, includeHidden: true)
        let context = model.makeContext(capacity: tokens.count, pool: pool)
        let logits = try model.logits(ForwardBatch(tokens: Array(tokens.dropLast()), startingAt: 0), context: context,
                                      logitRows: Array(0 ..< tokens.count - 1))
        var row = [Float](repeating: 0, count: model.embeddingLength)
        for (index, feature) in features.enumerated() {
            let hidden = try #require(feature.hidden)
            #expect(hidden.count == model.embeddingLength)
            row.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                llama.outputHead.dequantizeRow(Int(feature.token), into: base)
            }
            let dot = zip(hidden, row).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let logit = Double(logits[index * model.vocabularySize + Int(feature.token)])
            // The engine's matmul rounds the hidden state to 8-bit blocks first (Q8 activations).
            let scale = zip(hidden, row).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
            #expect(abs(dot - logit) <= 0.01 * scale, "position \(feature.position): \(dot) vs \(logit)")
        }
    }

    @Test("JSON Lines and CSV lines")
    func writer() {
        let feature = TokenFeatures(position: 3, token: 42, logProbability: -1.5, rank: 2, entropy: 0.25,
                                    topKMass: 0.75, hidden: [0.5, -1])
        let json = TokenFeatureWriter(format: .jsonl, includeHidden: true).line(feature, piece: "a\"b\n")
        #expect(json == #"{"position":3,"token":42,"piece":"a\"b\n","logprob":-1.5,"rank":2,"entropy":0.25,"top_k_mass":0.75,"hidden":[0.5,-1.0]}"#)
        let csv = TokenFeatureWriter(format: .csv, includeHidden: false)
        #expect(csv.header(hiddenWidth: 2) == "position,token,piece,logprob,rank,entropy,top_k_mass")
        #expect(csv.line(feature, piece: "x, \"y\"") == #"3,42,"x, ""y""",-1.5,2,0.25,0.75"#)
        let hidden = TokenFeatureWriter(format: .csv, includeHidden: true)
        #expect(hidden.header(hiddenWidth: 2) == "position,token,piece,logprob,rank,entropy,top_k_mass,h0,h1")
        #expect(hidden.line(feature, piece: "x").hasSuffix(",0.5,-1.0"))
        #expect(TokenFeatureWriter(format: .jsonl, includeHidden: false).header(hiddenWidth: 2) == nil)
        let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(parsed?["piece"] as? String == "a\"b\n")
    }

    @Test("top-k below 1 is a typed error")
    func badTopK() throws {
        let model = try LlamaModel(file: try GGUFFile(bytes: SyntheticLlama().bytes()))
        #expect(throws: ProbeError.self) {
            try TokenFeatureExtractor(model: model, pool: WorkerPool(threadCount: 1)).features(of: [1, 2], topK: 0)
        }
    }
}
