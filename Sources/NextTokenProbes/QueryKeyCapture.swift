import NextTokenCore
import NextTokenKernels
import NextTokenModel

/// Real pre-RoPE queries and keys of every layer, captured from the engine on a text (§9.3's
/// content model R).
public struct CapturedQueriesAndKeys: Sendable {
    /// Query heads per layer.
    public var headCount: Int
    /// Key/value heads per layer.
    public var kvHeadCount: Int
    /// Floats per head.
    public var headDimension: Int
    /// Positions captured.
    public var tokenCount: Int
    /// Per layer, `tokenCount × headCount × headDimension` floats.
    public var queries: [[Float]]
    /// Per layer, `tokenCount × kvHeadCount × headDimension` floats.
    public var keys: [[Float]]

    /// Runs `tokens` through `model` and keeps each layer's queries and keys as projected (after
    /// any per-head norm), before RoPE.
    ///
    /// - Throws: ``ProbeError/unsupportedArchitecture(_:)`` for a model whose attention shape is
    ///   unknown, ``ProbeError/invalidParameter(name:value:)`` for no tokens, and the model's
    ///   errors.
    public static func capture(model: any LanguageModel, tokens: [TokenID], pool: WorkerPool) throws -> CapturedQueriesAndKeys {
        guard !tokens.isEmpty else { throw ProbeError.invalidParameter(name: "capture tokens", value: "none") }
        let shape: (heads: Int, kvHeads: Int, dimension: Int)
        if let llama = model as? LlamaModel {
            let hp = llama.hyperparameters
            shape = (hp.headCount, hp.kvHeadCount, hp.headDimension)
        } else if let gemma = model as? Gemma3Model {
            let hp = gemma.hyperparameters
            shape = (hp.headCount, hp.kvHeadCount, hp.headDimension)
        } else {
            throw ProbeError.unsupportedArchitecture(String(describing: type(of: model)))
        }
        let recorder = QueryKeyRecorder(layerCount: model.layerCount, queryWidth: shape.heads * shape.dimension,
                                        keyWidth: shape.kvHeads * shape.dimension)
        let context = model.makeContext(capacity: tokens.count, pool: pool)
        context.observer = recorder
        var unused: Float = 0
        let chunk = 256
        for start in stride(from: 0, to: tokens.count, by: chunk) {
            let piece = Array(tokens[start ..< min(tokens.count, start + chunk)])
            try model.forward(ForwardBatch(tokens: piece, startingAt: start), context: context, logitRows: [],
                              logits: &unused)
        }
        return CapturedQueriesAndKeys(headCount: shape.heads, kvHeadCount: shape.kvHeads, headDimension: shape.dimension,
                                      tokenCount: tokens.count, queries: recorder.queries, keys: recorder.keys)
    }

    /// Query head `head` of `layer` as `tokenCount × headDimension` floats.
    func queries(layer: Int, head: Int) -> [Float] {
        Self.slice(queries[layer], heads: headCount, head: head, dimension: headDimension)
    }

    /// The key head that query head `head` of `layer` attends with, as `tokenCount × headDimension` floats.
    func keys(layer: Int, queryHead head: Int) -> [Float] {
        Self.slice(keys[layer], heads: kvHeadCount, head: head / (headCount / kvHeadCount), dimension: headDimension)
    }

    private static func slice(_ rows: [Float], heads: Int, head: Int, dimension: Int) -> [Float] {
        let width = heads * dimension
        var result: [Float] = []
        result.reserveCapacity(rows.count / heads)
        for row in stride(from: 0, to: rows.count, by: width) {
            result += rows[row + head * dimension ..< row + (head + 1) * dimension]
        }
        return result
    }
}

/// Appends each layer's queries and keys as forward passes report them.
final class QueryKeyRecorder: ForwardObserver {
    private(set) var queries: [[Float]]
    private(set) var keys: [[Float]]
    let queryWidth: Int
    let keyWidth: Int

    init(layerCount: Int, queryWidth: Int, keyWidth: Int) {
        queries = Array(repeating: [], count: layerCount)
        keys = Array(repeating: [], count: layerCount)
        self.queryWidth = queryWidth
        self.keyWidth = keyWidth
    }

    func observeQueriesAndKeys(layer: Int, queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, rows: Int) {
        guard self.queries.indices.contains(layer) else { return }
        self.queries[layer] += UnsafeBufferPointer(start: queries, count: rows * queryWidth)
        self.keys[layer] += UnsafeBufferPointer(start: keys, count: rows * keyWidth)
    }
}
