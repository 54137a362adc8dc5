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
    }

    let file: GGUFFile
    package let tokenEmbedding: WeightMatrix
    package let layers: [Layer]
    package let outputNorm: [Float]
    package let outputHead: WeightMatrix

    public var vocabularySize: Int { hyperparameters.vocabularySize }
    public var contextLength: Int { hyperparameters.contextLength }
    public var layerCount: Int { hyperparameters.blockCount }
    public var kvWidth: Int { hyperparameters.kvWidth }
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
        try run([SequenceBatch(batch: batch, context: context, logitRows: logitRows)],
                pool: context.pool, scratch: context.scratch, logits: logits)
    }

    public func forward(
        _ sequences: [SequenceBatch], workspace: ForwardWorkspace, logits: UnsafeMutablePointer<Float>
    ) throws(ModelError) {
        try run(sequences, pool: workspace.pool, scratch: workspace.scratch, logits: logits)
    }

    /// The forward pass of every sequence's rows together: the projections and the feed-forward
    /// run once over all rows (one pass over the weights), attention per sequence over its own
    /// cache.
    private func run(
        _ sequences: [SequenceBatch], pool: WorkerPool, scratch: ScratchBuffers, logits: UnsafeMutablePointer<Float>
    ) throws(ModelError) {
        var seen: Set<ObjectIdentifier> = []
        for sequence in sequences {
            try sequence.batch.validate(vocabularySize: vocabularySize)
            let cache = sequence.context.cache
            guard seen.insert(ObjectIdentifier(cache)).inserted else {
                throw .invalidBatch("two sequences share a KV cache")
            }
            guard cache.length + sequence.batch.tokens.count <= cache.capacity else {
                throw .contextFull(needed: cache.length + sequence.batch.tokens.count, capacity: cache.capacity)
            }
            guard sequence.logitRows.allSatisfy({ $0 >= 0 && $0 < sequence.batch.tokens.count }) else {
                throw .invalidBatch("logit row outside the batch")
            }
        }
        // The first batch row of each sequence.
        var starts: [Int] = []
        var rows = 0
        for sequence in sequences {
            starts.append(rows)
            rows += sequence.batch.tokens.count
        }
        guard rows > 0 else { throw .invalidBatch("no rows") }
        let hp = hyperparameters
        let d = hp.embeddingLength
        let x = scratch.buffer("x", count: rows * d)
        let normed = scratch.buffer("normed", count: rows * d)
        let query = scratch.buffer("query", count: rows * hp.queryWidth)
        let newKeys = scratch.buffer("keys", count: rows * hp.kvWidth)
        let newValues = scratch.buffer("values", count: rows * hp.kvWidth)
        let attended = scratch.buffer("attended", count: rows * hp.queryWidth)
        let gate = scratch.buffer("gate", count: rows * hp.feedForwardLength)
        let up = scratch.buffer("up", count: rows * hp.feedForwardLength)
        let projected = scratch.buffer("projected", count: rows * d)

        for (sequence, start) in zip(sequences, starts) {
            for (row, token) in sequence.batch.tokens.enumerated() {
                tokenEmbedding.dequantizeRow(Int(token), into: x + (start + row) * d)
            }
        }
        let attentions = sequences.map { sequence in
            Attention(headCount: hp.headCount, kvHeadCount: hp.kvHeadCount, headDimension: hp.headDimension,
                      batch: sequence.batch, cachedLength: sequence.context.cache.length, kvWidth: hp.kvWidth)
        }
        // Each row's rotation angles, computed once for all layers (the same bits as computing
        // them per call).
        let angles = sequences.map { sequence in
            sequence.batch.positions.map {
                RoPE.Angles(rotaryDimensions: hp.ropeDimensionCount, base: hp.ropeBase,
                            frequencyScale: hp.ropeFrequencyScale, position: $0)
            }
        }
        for (index, layer) in layers.enumerated() {
            for row in 0 ..< rows {
                VectorOps.rmsNorm(x + row * d, weight: layer.attentionNorm, count: d,
                                  epsilon: hp.rmsEpsilon, output: normed + row * d)
            }
            MatrixMultiply.multiply(
                [.init(layer.query, output: query), .init(layer.key, output: newKeys),
                 .init(layer.value, output: newValues)], input: normed, batch: rows, pool: pool)
            add(layer.queryBias, to: query, rows: rows)
            add(layer.keyBias, to: newKeys, rows: rows)
            add(layer.valueBias, to: newValues, rows: rows)
            for (sequenceIndex, (sequence, start)) in zip(sequences, starts).enumerated() {
                sequence.context.observer?.observeQueriesAndKeys(
                    layer: index, queries: query + start * hp.queryWidth, keys: newKeys + start * hp.kvWidth,
                    rows: sequence.batch.tokens.count)
                for (row, rowAngles) in angles[sequenceIndex].enumerated() {
                    RoPE.apply(query + (start + row) * hp.queryWidth, headCount: hp.headCount,
                               headDimension: hp.headDimension, angles: rowAngles, pairing: hp.ropePairing)
                    RoPE.apply(newKeys + (start + row) * hp.kvWidth, headCount: hp.kvHeadCount,
                               headDimension: hp.headDimension, angles: rowAngles, pairing: hp.ropePairing)
                }
            }
            for ((sequence, start), attention) in zip(zip(sequences, starts), attentions) {
                let cache = sequence.context.cache
                let count = sequence.batch.tokens.count * hp.kvWidth
                (cache.keys(layer: index) + cache.length * hp.kvWidth).update(from: newKeys + start * hp.kvWidth, count: count)
                (cache.values(layer: index) + cache.length * hp.kvWidth)
                    .update(from: newValues + start * hp.kvWidth, count: count)
                attention.run(queries: query + start * hp.queryWidth, keys: cache.keys(layer: index),
                              values: cache.values(layer: index), output: attended + start * hp.queryWidth, pool: pool)
            }
            project(layer.output, input: attended, rows: rows, output: projected, pool: pool)
            VectorOps.add(projected, to: x, count: rows * d)

            for row in 0 ..< rows {
                VectorOps.rmsNorm(x + row * d, weight: layer.feedForwardNorm, count: d,
                                  epsilon: hp.rmsEpsilon, output: normed + row * d)
            }
            MatrixMultiply.multiply([.init(layer.gate, output: gate), .init(layer.up, output: up)],
                                    input: normed, batch: rows, pool: pool)
            VectorOps.siluMultiply(gate, by: up, count: rows * hp.feedForwardLength)
            project(layer.down, input: gate, rows: rows, output: projected, pool: pool)
            VectorOps.add(projected, to: x, count: rows * d)
        }
        var logitCount = 0
        for (sequence, start) in zip(sequences, starts) {
            sequence.context.cache.commit(sequence.batch.tokens.count)
            let first = logitCount
            for row in sequence.logitRows {
                VectorOps.rmsNorm(x + (start + row) * d, weight: outputNorm, count: d, epsilon: hp.rmsEpsilon,
                                  output: normed + logitCount * d)
                logitCount += 1
            }
            sequence.context.observer?.observeFinalHidden(normed + first * d, count: logitCount - first, width: d)
        }
        if logitCount > 0 {
            MatrixMultiply.multiply(outputHead, input: normed, inputStride: d, batch: logitCount,
                                    output: logits, outputStride: vocabularySize, pool: pool)
        }
    }

    /// `output[row] = weights · input[row]` for every row; rows are packed densely.
    private func project(
        _ weights: WeightMatrix, input: UnsafePointer<Float>, rows: Int, output: UnsafeMutablePointer<Float>,
        pool: WorkerPool
    ) {
        MatrixMultiply.multiply(weights, input: input, inputStride: weights.columnCount, batch: rows,
                                output: output, outputStride: weights.rowCount, pool: pool)
    }

    /// Adds `bias` (if any) to each of `rows` packed rows of its width at `output`.
    private func add(_ bias: [Float]?, to output: UnsafeMutablePointer<Float>, rows: Int) {
        guard let bias else { return }
        for row in 0 ..< rows {
            VectorOps.add(bias, to: output + row * bias.count, count: bias.count)
        }
    }
}
