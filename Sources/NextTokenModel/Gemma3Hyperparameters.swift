import NextTokenGGUF

/// The shape of a Gemma 3 transformer, read from `gemma3.*` GGUF metadata.
public struct Gemma3Hyperparameters: Sendable, Equatable {
    /// Width of the residual stream.
    public var embeddingLength: Int
    /// Number of transformer blocks.
    public var blockCount: Int
    /// Query heads.
    public var headCount: Int
    /// Key/value heads.
    public var kvHeadCount: Int
    /// Width of one key/query head (`attention.key_length`).
    public var headDimension: Int
    /// Hidden width of the feed-forward network.
    public var feedForwardLength: Int
    /// Training context length.
    public var contextLength: Int
    /// RMSNorm epsilon.
    public var rmsEpsilon: Float
    /// RoPE base of the global-attention layers.
    public var globalRopeBase: Float
    /// RoPE base of the sliding-window (local) layers.
    public var localRopeBase: Float
    /// Keys a local layer sees, the query's own position included.
    public var slidingWindow: Int
    /// Every `slidingWindowPattern`-th layer (1-based) is global; the others are local.
    public var slidingWindowPattern: Int
    /// Multiplies attention scores: `1/√key_length`.
    public var queryScale: Float
    /// Vocabulary size (rows of the tied embedding).
    public var vocabularySize: Int

    /// Gemma 3's local RoPE base, which its GGUF files do not record (llama.cpp's value too).
    public static let defaultLocalRopeBase: Float = 10_000
    /// One global layer after every five local ones.
    public static let defaultSlidingWindowPattern = 6

    /// Reads the hyper-parameters; every missing or impossible value is a typed error.
    public init(metadata: GGUFMetadata, vocabularySize: Int) throws(ModelError) {
        let reader = HyperparameterReader(metadata: metadata, prefix: "gemma3")
        embeddingLength = try reader.positiveInt("embedding_length")
        blockCount = try reader.positiveInt("block_count")
        headCount = try reader.positiveInt("attention.head_count")
        kvHeadCount = try reader.positiveInt("attention.head_count_kv", default: headCount)
        headDimension = try reader.positiveInt("attention.key_length")
        let valueLength = try reader.positiveInt("attention.value_length", default: headDimension)
        feedForwardLength = try reader.positiveInt("feed_forward_length")
        contextLength = try reader.positiveInt("context_length")
        rmsEpsilon = try reader.positiveFloat("attention.layer_norm_rms_epsilon")
        globalRopeBase = try reader.positiveFloat("rope.freq_base", default: 1_000_000)
        localRopeBase = try reader.positiveFloat("rope.local.freq_base", default: Self.defaultLocalRopeBase)
        slidingWindow = try reader.positiveInt("attention.sliding_window")
        slidingWindowPattern = try reader.positiveInt("attention.sliding_window_pattern",
                                                      default: Self.defaultSlidingWindowPattern)
        queryScale = 1 / Float(headDimension).squareRoot()
        self.vocabularySize = vocabularySize
        guard valueLength == headDimension else {
            throw .invalidHyperparameter(key: "gemma3.attention.value_length", value: "\(valueLength)")
        }
        guard headCount % kvHeadCount == 0 else {
            throw .invalidHyperparameter(key: "gemma3.attention.head_count_kv", value: "\(kvHeadCount)")
        }
    }

    /// Whether layer `index` (0-based) uses sliding-window attention.
    public func isLocal(layer index: Int) -> Bool { (index + 1) % slidingWindowPattern != 0 }
    /// Floats per token in the KV cache of one layer.
    public var kvWidth: Int { kvHeadCount * headDimension }
    /// Floats per token in a query.
    public var queryWidth: Int { headCount * headDimension }
}
