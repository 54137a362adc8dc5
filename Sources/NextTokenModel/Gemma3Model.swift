import NextTokenCore
import NextTokenGGUF
import NextTokenKernels

/// Gemma 3: embeddings scaled by √d, RMSNorm before and after attention and feed-forward, per-head
/// query/key RMSNorm, GeGLU (tanh GELU), interleaved sliding-window and global attention layers with
/// their own RoPE bases (NeoX pairing), and a tied output head.
///
/// Norm weights are used as stored: Gemma's converter already folded the `1 + weight` into them.
public final class Gemma3Model: LanguageModel {
    /// The shape read from the file.
    public let hyperparameters: Gemma3Hyperparameters

    /// One transformer block's weights.
    package struct Layer {
        package let attentionNorm: [Float]
        package let query, key, value, output: WeightMatrix
        package let queryNorm, keyNorm: [Float]
        package let postAttentionNorm: [Float]
        package let feedForwardNorm: [Float]
        package let gate, up, down: WeightMatrix
        package let postFeedForwardNorm: [Float]
    }

    let file: GGUFFile
    package let tokenEmbedding: WeightMatrix
    package let layers: [Layer]
    package let outputNorm: [Float]
    /// The rotary frequencies of the sliding-window layers and of the global ones.
    let localRopeFrequencies, globalRopeFrequencies: RoPE.Frequencies

    public var vocabularySize: Int { hyperparameters.vocabularySize }
    public var contextLength: Int { hyperparameters.contextLength }
    public var layerCount: Int { hyperparameters.blockCount }
    public var kvWidth: Int { hyperparameters.kvWidth }
    public var headDimension: Int { hyperparameters.headDimension }
    public var weightBytesPerToken: Int {
        layers.reduce(tokenEmbedding.productByteCount) { total, layer in
            [layer.query, layer.key, layer.value, layer.output, layer.gate, layer.up, layer.down]
                .reduce(total) { $0 + $1.productByteCount }
        }
    }
    public var embeddingLength: Int { hyperparameters.embeddingLength }

    /// Binds every tensor of `file`, checking each shape.
    public init(file: GGUFFile) throws(ModelError) {
        guard let embedding = file.tensor(named: "token_embd.weight"), embedding.dimensions.count == 2 else {
            throw .missingTensor("token_embd.weight")
        }
        let hp = try Gemma3Hyperparameters(metadata: file.metadata, vocabularySize: embedding.dimensions[1])
        let bind = TensorBinder(file: file)
        let d = hp.embeddingLength
        self.file = file
        hyperparameters = hp
        tokenEmbedding = try bind.matrix("token_embd.weight", rows: hp.vocabularySize, columns: d)
        var layers: [Layer] = []
        for index in 0 ..< hp.blockCount {
            let p = "blk.\(index)."
            layers.append(Layer(
                attentionNorm: try bind.vector(p + "attn_norm.weight", count: d),
                query: try bind.matrix(p + "attn_q.weight", rows: hp.queryWidth, columns: d),
                key: try bind.matrix(p + "attn_k.weight", rows: hp.kvWidth, columns: d),
                value: try bind.matrix(p + "attn_v.weight", rows: hp.kvWidth, columns: d),
                output: try bind.matrix(p + "attn_output.weight", rows: d, columns: hp.queryWidth),
                queryNorm: try bind.vector(p + "attn_q_norm.weight", count: hp.headDimension),
                keyNorm: try bind.vector(p + "attn_k_norm.weight", count: hp.headDimension),
                postAttentionNorm: try bind.vector(p + "post_attention_norm.weight", count: d),
                feedForwardNorm: try bind.vector(p + "ffn_norm.weight", count: d),
                gate: try bind.matrix(p + "ffn_gate.weight", rows: hp.feedForwardLength, columns: d),
                up: try bind.matrix(p + "ffn_up.weight", rows: hp.feedForwardLength, columns: d),
                down: try bind.matrix(p + "ffn_down.weight", rows: d, columns: hp.feedForwardLength),
                postFeedForwardNorm: try bind.vector(p + "post_ffw_norm.weight", count: d)
            ))
        }
        self.layers = layers
        localRopeFrequencies = RoPE.Frequencies(rotaryDimensions: hp.headDimension, base: hp.localRopeBase)
        globalRopeFrequencies = RoPE.Frequencies(rotaryDimensions: hp.headDimension, base: hp.globalRopeBase)
        outputNorm = try bind.vector("output_norm.weight", count: d)
    }

    public func forward(
        _ batch: ForwardBatch, context: ModelContext, logitRows: [Int], logits: UnsafeMutablePointer<Float>
    ) throws(ModelError) {
        try batch.validate(vocabularySize: vocabularySize)
        let rows = batch.tokens.count
        let cache = context.cache
        guard cache.length + rows <= cache.capacity else {
            throw .contextFull(needed: cache.length + rows, capacity: cache.capacity)
        }
        guard logitRows.allSatisfy({ $0 >= 0 && $0 < rows }) else { throw .invalidBatch("logit row outside the batch") }
        let hp = hyperparameters
        let d = hp.embeddingLength
        let hd = hp.headDimension
        let pool = context.pool
        let scratch = context.scratch
        let x = scratch.buffer("x", count: rows * d)
        let normed = scratch.buffer("normed", count: rows * d)
        let projections = context.projections
        let query = scratch.buffer("query", count: rows * hp.queryWidth)
        let keys = scratch.buffer("keys", count: rows * hp.kvWidth)
        let values = scratch.buffer("values", count: rows * hp.kvWidth)
        let attended = scratch.buffer("attended", count: rows * hp.queryWidth)
        let gate = scratch.buffer("gate", count: rows * hp.feedForwardLength)
        let up = scratch.buffer("up", count: rows * hp.feedForwardLength)
        let projected = scratch.buffer("projected", count: rows * d)

        let embeddingScale = Float(d).squareRoot()
        for (row, token) in batch.tokens.enumerated() {
            tokenEmbedding.dequantizeRow(Int(token), into: x + row * d)
            VectorOps.scale(x + row * d, by: embeddingScale, count: d)
        }
        var attention = Attention(headCount: hp.headCount, kvHeadCount: hp.kvHeadCount, headDimension: hd,
                                  batch: batch, cachedLength: cache.length, slotCapacity: cache.capacity,
                                  kvWidth: hp.kvWidth)
        attention.scale = hp.queryScale
        let localAngles = RotaryRows(
            localRopeFrequencies,
            storage: scratch.buffer("localRotary", count: RotaryRows.floatCount(localRopeFrequencies, rows: rows)))
        let globalAngles = RotaryRows(
            globalRopeFrequencies,
            storage: scratch.buffer("globalRotary", count: RotaryRows.floatCount(globalRopeFrequencies, rows: rows)))
        for (row, position) in batch.positions.enumerated() {
            localAngles.set(row: row, position: position)
            globalAngles.set(row: row, position: position)
        }

        for (index, layer) in layers.enumerated() {
            let local = hp.isLocal(layer: index)
            attention.window = local ? hp.slidingWindow : nil
            let angles = local ? localAngles : globalAngles
            normalizeRows(x, weight: layer.attentionNorm, width: d, rows: rows, output: normed)
            projections.prepare(normed, rows: rows, columns: d)
            projections.multiply(layer.query, output: query)
            projections.multiply(layer.key, output: keys)
            projections.multiply(layer.value, output: values)
            normalizeRows(query, weight: layer.queryNorm, width: hd, rows: rows * hp.headCount, output: query)
            normalizeRows(keys, weight: layer.keyNorm, width: hd, rows: rows * hp.kvHeadCount, output: keys)
            context.observer?.observeQueriesAndKeys(layer: index, queries: query, keys: keys, rows: rows)
            for row in 0 ..< rows {
                angles.rotate(query + row * hp.queryWidth, row: row, headCount: hp.headCount, headDimension: hd,
                              pairing: .neox)
                angles.rotate(keys + row * hp.kvWidth, row: row, headCount: hp.kvHeadCount, headDimension: hd,
                              pairing: .neox)
            }
            cache.store(layer: index, slot: cache.length, keys: keys, values: values, rows: rows)
            attention.run(queries: query, cache: cache, layer: index, output: attended, pool: pool)
            projections.project(layer.output, input: attended, rows: rows, output: projected)
            normalizeRows(projected, weight: layer.postAttentionNorm, width: d, rows: rows, output: projected)
            VectorOps.add(projected, to: x, count: rows * d)

            normalizeRows(x, weight: layer.feedForwardNorm, width: d, rows: rows, output: normed)
            projections.prepare(normed, rows: rows, columns: d)
            projections.multiply(layer.gate, output: gate)
            projections.multiply(layer.up, output: up)
            VectorOps.geluMultiply(gate, by: up, count: rows * hp.feedForwardLength)
            projections.project(layer.down, input: gate, rows: rows, output: projected)
            normalizeRows(projected, weight: layer.postFeedForwardNorm, width: d, rows: rows, output: projected)
            VectorOps.add(projected, to: x, count: rows * d)
        }
        cache.commit(rows)

        for (slot, row) in logitRows.enumerated() {
            VectorOps.rmsNorm(x + row * d, weight: outputNorm, count: d, epsilon: hp.rmsEpsilon, output: normed + slot * d)
        }
        context.observer?.observeFinalHidden(normed, count: logitRows.count, width: d)
        if !logitRows.isEmpty {
            projections.multiplyOutputHead(tokenEmbedding, input: normed, rows: logitRows.count, output: logits,
                                           outputStride: vocabularySize)
        }
    }

    /// RMSNorm of `rows` consecutive vectors of `width` floats (in place when `output == x`).
    private func normalizeRows(
        _ x: UnsafeMutablePointer<Float>, weight: [Float], width: Int, rows: Int, output: UnsafeMutablePointer<Float>
    ) {
        for row in 0 ..< rows {
            VectorOps.rmsNorm(x + row * width, weight: weight, count: width, epsilon: hyperparameters.rmsEpsilon,
                              output: output + row * width)
        }
    }
}
