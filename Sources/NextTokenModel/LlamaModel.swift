import NextTokenCore
import NextTokenGGUF
import NextTokenKernels

/// The Llama-family decoder (Llama 2/3, SmolLM, Mistral, Qwen2): RMSNorm, rotary attention with
/// grouped-query heads, SwiGLU feed-forward, tied or separate output head.
public final class LlamaModel: LanguageModel {
    /// The shape read from the file.
    public let hyperparameters: LlamaHyperparameters

    /// One transformer block's weights.
    package struct Layer {
        package let attentionNorm: [Float]
        package let query, key, value, output: WeightMatrix
        package let queryBias, keyBias, valueBias: [Float]?
        package let feedForwardNorm: [Float]
        package let gate, up, down: WeightMatrix
        /// `[query, key, value]` and `[gate, up]`, kept so that a pass need not build the arrays.
        let queryKeyValue, gateUp: [WeightMatrix]

        init(
            attentionNorm: [Float], query: WeightMatrix, key: WeightMatrix, value: WeightMatrix, output: WeightMatrix,
            queryBias: [Float]?, keyBias: [Float]?, valueBias: [Float]?, feedForwardNorm: [Float],
            gate: WeightMatrix, up: WeightMatrix, down: WeightMatrix
        ) {
            self.attentionNorm = attentionNorm
            (self.query, self.key, self.value, self.output) = (query, key, value, output)
            (self.queryBias, self.keyBias, self.valueBias) = (queryBias, keyBias, valueBias)
            self.feedForwardNorm = feedForwardNorm
            (self.gate, self.up, self.down) = (gate, up, down)
            queryKeyValue = [query, key, value]
            gateUp = [gate, up]
        }
    }

    let file: GGUFFile
    package let tokenEmbedding: WeightMatrix
    package let layers: [Layer]
    package let outputNorm: [Float]
    package let outputHead: WeightMatrix
    /// The rotary frequencies of every layer.
    let ropeFrequencies: RoPE.Frequencies

    public var vocabularySize: Int { hyperparameters.vocabularySize }
    public var contextLength: Int { hyperparameters.contextLength }
    public var layerCount: Int { hyperparameters.blockCount }
    public var kvWidth: Int { hyperparameters.kvWidth }
    public var headDimension: Int { hyperparameters.headDimension }
    public var weightBytesPerToken: Int {
        layers.reduce(outputHead.productByteCount) { total, layer in
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
        let hp = try LlamaHyperparameters(metadata: file.metadata, vocabularySize: embedding.dimensions[1])
        let bind = TensorBinder(file: file)
        let d = hp.embeddingLength
        self.file = file
        hyperparameters = hp
        tokenEmbedding = try bind.matrix("token_embd.weight", rows: hp.vocabularySize, columns: d)
        var layers: [Layer] = []
        for index in 0 ..< hp.blockCount {
            let prefix = "blk.\(index)."
            layers.append(Layer(
                attentionNorm: try bind.vector(prefix + "attn_norm.weight", count: d),
                query: try bind.matrix(prefix + "attn_q.weight", rows: hp.queryWidth, columns: d),
                key: try bind.matrix(prefix + "attn_k.weight", rows: hp.kvWidth, columns: d),
                value: try bind.matrix(prefix + "attn_v.weight", rows: hp.kvWidth, columns: d),
                output: try bind.matrix(prefix + "attn_output.weight", rows: d, columns: hp.queryWidth),
                queryBias: try bind.optionalVector(prefix + "attn_q.bias", count: hp.queryWidth),
                keyBias: try bind.optionalVector(prefix + "attn_k.bias", count: hp.kvWidth),
                valueBias: try bind.optionalVector(prefix + "attn_v.bias", count: hp.kvWidth),
                feedForwardNorm: try bind.vector(prefix + "ffn_norm.weight", count: d),
                gate: try bind.matrix(prefix + "ffn_gate.weight", rows: hp.feedForwardLength, columns: d),
                up: try bind.matrix(prefix + "ffn_up.weight", rows: hp.feedForwardLength, columns: d),
                down: try bind.matrix(prefix + "ffn_down.weight", rows: d, columns: hp.feedForwardLength)
            ))
        }
        self.layers = layers
        ropeFrequencies = RoPE.Frequencies(rotaryDimensions: hp.ropeDimensionCount, base: hp.ropeBase,
                                           frequencyScale: hp.ropeFrequencyScale)
        outputNorm = try bind.vector("output_norm.weight", count: d)
        outputHead = bind.has("output.weight")
            ? try bind.matrix("output.weight", rows: hp.vocabularySize, columns: d)
            : tokenEmbedding
    }

    public func forward(
        _ batch: ForwardBatch,
        context: ModelContext,
        logitRows: [Int],
        logits: UnsafeMutablePointer<Float>
    ) throws(ModelError) {
        try run(CollectionOfOne(SequenceBatch(batch: batch, context: context, logitRows: logitRows)),
                pool: context.pool, scratch: context.scratch, projections: context.projections, logits: logits)
    }

    public func forward(
        _ sequences: [SequenceBatch], workspace: ForwardWorkspace, logits: UnsafeMutablePointer<Float>
    ) throws(ModelError) {
        try run(sequences, pool: workspace.pool, scratch: workspace.scratch, projections: workspace.projections,
                logits: logits)
    }

    /// The forward pass of every sequence's rows together: the projections and the feed-forward
    /// run once over all rows (one pass over the weights), attention per sequence over its own
    /// cache. Allocates nothing once the scratch buffers have grown to the pass's size.
    private func run(
        _ sequences: some Collection<SequenceBatch>, pool: WorkerPool, scratch: ScratchBuffers,
        projections: Projections, logits: UnsafeMutablePointer<Float>
    ) throws(ModelError) {
        let rows = try sequences.validate(vocabularySize: vocabularySize)
        let hp = hyperparameters
        let d = hp.embeddingLength
        let x = scratch.buffer("x", count: rows * d)
        let normed = scratch.buffer("normed", count: rows * d)
        // The query, key and value projections one after another, and the gate and up ones.
        let query = scratch.buffer("queryKeyValue", count: rows * (hp.queryWidth + 2 * hp.kvWidth))
        let newKeys = query + rows * hp.queryWidth
        let newValues = newKeys + rows * hp.kvWidth
        let attended = scratch.buffer("attended", count: rows * hp.queryWidth)
        let gate = scratch.buffer("gateUp", count: rows * 2 * hp.feedForwardLength)
        let up = gate + rows * hp.feedForwardLength
        let projected = scratch.buffer("projected", count: rows * d)
        // Each row's rotation angles, computed once for all layers (the same bits as computing
        // them per call).
        let rotary = RotaryRows(
            ropeFrequencies, storage: scratch.buffer("rotary", count: RotaryRows.floatCount(ropeFrequencies, rows: rows)))

        sequences.forEachWithFirstRow { sequence, first in
            for (row, token) in sequence.batch.tokens.enumerated() {
                tokenEmbedding.dequantizeRow(Int(token), into: x + (first + row) * d)
            }
            for (row, position) in sequence.batch.positions.enumerated() {
                rotary.set(row: first + row, position: position)
            }
        }
        for (index, layer) in layers.enumerated() {
            for row in 0 ..< rows {
                VectorOps.rmsNorm(x + row * d, weight: layer.attentionNorm, count: d,
                                  epsilon: hp.rmsEpsilon, output: normed + row * d)
            }
            projections.prepare(normed, rows: rows, columns: d)
            projections.multiply(layer.queryKeyValue, output: query)
            add(layer.queryBias, to: query, rows: rows)
            add(layer.keyBias, to: newKeys, rows: rows)
            add(layer.valueBias, to: newValues, rows: rows)
            sequences.forEachWithFirstRow { sequence, first in
                let count = sequence.batch.tokens.count
                sequence.context.observer?.observeQueriesAndKeys(
                    layer: index, queries: query + first * hp.queryWidth, keys: newKeys + first * hp.kvWidth,
                    rows: count)
                for row in first ..< first + count {
                    rotary.rotate(query + row * hp.queryWidth, row: row, headCount: hp.headCount,
                                  headDimension: hp.headDimension, pairing: hp.ropePairing)
                    rotary.rotate(newKeys + row * hp.kvWidth, row: row, headCount: hp.kvHeadCount,
                                  headDimension: hp.headDimension, pairing: hp.ropePairing)
                }
                let cache = sequence.context.cache
                cache.store(layer: index, slot: cache.length, keys: newKeys + first * hp.kvWidth,
                            values: newValues + first * hp.kvWidth, rows: count)
                let attention = Attention(
                    headCount: hp.headCount, kvHeadCount: hp.kvHeadCount, headDimension: hp.headDimension,
                    batch: sequence.batch, cachedLength: cache.length, slotCapacity: cache.capacity,
                    kvWidth: hp.kvWidth)
                attention.run(queries: query + first * hp.queryWidth, cache: cache, layer: index,
                              output: attended + first * hp.queryWidth, pool: pool)
            }
            projections.project(layer.output, input: attended, rows: rows, output: projected)
            VectorOps.add(projected, to: x, count: rows * d)

            for row in 0 ..< rows {
                VectorOps.rmsNorm(x + row * d, weight: layer.feedForwardNorm, count: d,
                                  epsilon: hp.rmsEpsilon, output: normed + row * d)
            }
            projections.prepare(normed, rows: rows, columns: d)
            projections.multiply(layer.gateUp, output: gate)
            VectorOps.siluMultiply(gate, by: up, count: rows * hp.feedForwardLength)
            projections.project(layer.down, input: gate, rows: rows, output: projected)
            VectorOps.add(projected, to: x, count: rows * d)
        }
        var logitCount = 0
        sequences.forEachWithFirstRow { sequence, first in
            sequence.context.cache.commit(sequence.batch.tokens.count)
            let firstLogit = logitCount
            for row in sequence.logitRows {
                VectorOps.rmsNorm(x + (first + row) * d, weight: outputNorm, count: d, epsilon: hp.rmsEpsilon,
                                  output: normed + logitCount * d)
                logitCount += 1
            }
            sequence.context.observer?.observeFinalHidden(normed + firstLogit * d, count: logitCount - firstLogit, width: d)
        }
        if logitCount > 0 {
            projections.multiplyOutputHead(outputHead, input: normed, rows: logitCount, output: logits,
                                           outputStride: vocabularySize)
        }
    }

    /// Adds `bias` (if any) to each of `rows` packed rows of its width at `output`.
    private func add(_ bias: [Float]?, to output: UnsafeMutablePointer<Float>, rows: Int) {
        guard let bias else { return }
        for row in 0 ..< rows {
            VectorOps.add(bias, to: output + row * bias.count, count: bias.count)
        }
    }
}
