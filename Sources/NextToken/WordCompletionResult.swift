import NextTokenByteLevel

/// Next-word completions of one model: every cut completed by every method.
public struct WordCompletionResult: Sendable {
    /// One cut and its completion by each method (in ``WordCompletionResult/methods`` order).
    public struct Sample: Sendable {
        /// The prompt and the true rest of its word.
        public let cut: WordCut
        /// One completion per method.
        public let completions: [WordCompletion]
    }

    /// The methods compared.
    public let methods: [ByteScoringMethod]
    /// The cuts and their completions.
    public let samples: [Sample]
    /// Wall time spent by each method, prompt processing included.
    public let durations: [Duration]

    /// Cuts whose word `method` completed exactly (0 for a method not compared).
    public func matches(_ method: ByteScoringMethod) -> Int {
        guard let index = methods.firstIndex(of: method) else { return 0 }
        return samples.filter { $0.completions[index].matches($0.cut.rest) }.count
    }

    /// The fraction of cuts whose word `method` completed exactly (0 without samples).
    public func exactMatch(_ method: ByteScoringMethod) -> Double {
        samples.isEmpty ? 0 : Double(matches(method)) / Double(samples.count)
    }
}

/// Bits per byte of one model (token level and exact byte level) or of an ensemble (byte
/// level only) on the benchmark's slices together.
public struct BitsPerByteResult: Sendable {
    /// The model's name, or `ensemble`.
    public let label: String
    /// Bytes scored.
    public let bytes: Int
    /// Teacher forcing with the canonical encoding; `nil` for an ensemble.
    public let tokenLevel: Double?
    /// The exact byte-level distribution, byte by byte.
    public let byteLevel: Double
}
