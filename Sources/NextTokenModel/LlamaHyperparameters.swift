import NextTokenGGUF
import NextTokenKernels

/// The shape of a Llama-family transformer, read from `<architecture>.*` GGUF metadata.
public struct LlamaHyperparameters: Sendable, Equatable {
    /// `general.architecture` (`llama`, `qwen2`, `mistral`, …).
    public var architecture: String
    /// Width of the residual stream.
    public var embeddingLength: Int
    /// Number of transformer blocks.
    public var blockCount: Int
    /// Query heads.
    public var headCount: Int
    /// Key/value heads (grouped-query attention when fewer than `headCount`).
    public var kvHeadCount: Int
    /// Width of one head.
    public var headDimension: Int
    /// Hidden width of the feed-forward network.
    public var feedForwardLength: Int
    /// Training context length.
    public var contextLength: Int
    /// Number of leading head dimensions rotated by RoPE.
    public var ropeDimensionCount: Int
    /// RoPE frequency base.
    public var ropeBase: Float
    /// Linear RoPE position scale (1 = none).
    public var ropeFrequencyScale: Float
    /// How RoPE pairs dimensions: Llama's adjacent pairs or NeoX's halves.
    public var ropePairing: RoPE.Pairing
    /// RMSNorm epsilon.
    public var rmsEpsilon: Float
    /// Vocabulary size (rows of the embedding table).
    public var vocabularySize: Int

    /// Architectures that share this graph, with their RoPE pairing.
    static let pairings: [String: RoPE.Pairing] = ["llama": .normal, "mistral": .normal, "qwen2": .neox]

    /// Reads the hyper-parameters; every missing or impossible value is a typed error.
    public init(metadata: GGUFMetadata, vocabularySize: Int) throws(ModelError) {
        guard let architecture = metadata["general.architecture"]?.string else {
            throw .missingHyperparameter("general.architecture")
        }
        guard let pairing = Self.pairings[architecture] else { throw .unsupportedArchitecture(architecture) }
        let reader = HyperparameterReader(metadata: metadata, prefix: architecture)
        self.architecture = architecture
        embeddingLength = try reader.positiveInt("embedding_length")
        blockCount = try reader.positiveInt("block_count")
        headCount = try reader.positiveInt("attention.head_count")
        kvHeadCount = try reader.positiveInt("attention.head_count_kv", default: headCount)
        headDimension = try reader.positiveInt("attention.key_length", default: embeddingLength / headCount)
        feedForwardLength = try reader.positiveInt("feed_forward_length")
        contextLength = try reader.positiveInt("context_length")
        ropeDimensionCount = try reader.positiveInt("rope.dimension_count", default: headDimension)
        ropeBase = try reader.positiveFloat("rope.freq_base", default: 10_000)
        ropeFrequencyScale = 1 / (try reader.positiveFloat("rope.scale_linear", default: 1))
        ropePairing = pairing
        rmsEpsilon = try reader.positiveFloat("attention.layer_norm_rms_epsilon")
        self.vocabularySize = vocabularySize
        guard headCount % kvHeadCount == 0 else {
            throw .invalidHyperparameter(key: "\(architecture).attention.head_count_kv", value: "\(kvHeadCount)")
        }
        guard ropeDimensionCount <= headDimension, ropeDimensionCount % 2 == 0 else {
            throw .invalidHyperparameter(key: "\(architecture).rope.dimension_count", value: "\(ropeDimensionCount)")
        }
    }

    /// Floats per token in the KV cache of one layer.
    public var kvWidth: Int { kvHeadCount * headDimension }
    /// Floats per token in a query.
    public var queryWidth: Int { headCount * headDimension }
}

/// Reads `<prefix>.<key>` values with type and range checks.
struct HyperparameterReader {
    let metadata: GGUFMetadata
    let prefix: String

    func positiveInt(_ key: String, default fallback: Int? = nil) throws(ModelError) -> Int {
        let fullKey = "\(prefix).\(key)"
        guard let value = metadata[fullKey] else {
            guard let fallback else { throw .missingHyperparameter(fullKey) }
            return fallback
        }
        guard let int = value.int, int > 0, int < 1 << 31 else {
            throw .invalidHyperparameter(key: fullKey, value: "\(value)")
        }
        return int
    }

    func positiveFloat(_ key: String, default fallback: Float? = nil) throws(ModelError) -> Float {
        let fullKey = "\(prefix).\(key)"
        guard let value = metadata[fullKey] else {
            guard let fallback else { throw .missingHyperparameter(fullKey) }
            return fallback
        }
        guard let double = value.double, double > 0, double.isFinite else {
            throw .invalidHyperparameter(key: fullKey, value: "\(value)")
        }
        return Float(double)
    }
}
