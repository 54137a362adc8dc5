import NextTokenByteLevel

/// How a text is predicted byte by byte when scoring (design §6.5).
public enum ByteScoringMethod: String, Sendable, CaseIterable {
    /// The exact byte-level distribution (cover sets).
    case exact
    /// Token healing's next-byte distribution.
    case tokenHealing = "token-healing"
    /// The next-token distribution after the encoded prefix, grouped by first byte.
    case naive
}

/// Everything byte-level scoring and generation can set, as one value.
public struct ByteLevelOptions: Sendable, Equatable {
    /// Most bytes to generate.
    public var maxBytes = 256
    /// Temperature applied to byte probabilities; below 0.1 is greedy (the default, 0).
    public var temperature = 0.0
    /// Top-p mass over bytes (1 = off).
    public var topP = 1.0
    /// Seed of the byte sampler (random when `nil`).
    public var seed: UInt64?
    /// Validity testing of the exact method: `.fast` (default) tests nothing, `.strict` tests
    /// every token, `.topMass` the likeliest ones.
    public var pruning = PruningMode.fast
    /// Worker threads for the forward pass; `nil` uses every core.
    public var threads: Int?

    /// Default options: greedy, 256 bytes, fast pruning.
    public init() {}
}
