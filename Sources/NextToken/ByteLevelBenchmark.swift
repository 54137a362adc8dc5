import NextTokenByteLevel

/// `nexttoken bench byte-level`: what the exact byte-level method buys over tokenized prompting
/// (design §6.5). Next-word exact match on prompts cut inside words (``WordCutter``), completed
/// greedily by naive prompting, token healing and the exact method; and bits per byte of each
/// model, token level and byte level, and of their byte-level ensemble, on text slices
/// (``TextSlicer``).
public struct ByteLevelBenchmark: Sendable {
    /// Prompts cut inside words.
    public var samples = 20
    /// Bytes of context before each cut.
    public var contextBytes = 256
    /// Seed of the cuts (the slices use a seed derived from it).
    public var seed: UInt64 = 0
    /// Text slices scored for bits per byte.
    public var slices = 2
    /// Bytes per slice.
    public var sliceBytes = 1024
    /// Worker threads for the forward pass; `nil` uses every core.
    public var threads: Int?

    /// Twenty cuts with 256-byte windows, two 1 KiB slices, seed 0.
    public init() {}

    /// The prompts cut inside words of `corpus`.
    ///
    /// - Throws: ``NextTokenError/byteLevel(_:)`` with the errors of ``WordCutter``.
    public func cuts(in corpus: String) throws(NextTokenError) -> [WordCut] {
        do {
            return try WordCutter.cuts(in: corpus, count: samples, contextBytes: contextBytes, seed: seed)
        } catch {
            throw .byteLevel(error)
        }
    }

    /// The slices of `corpus` scored for bits per byte.
    ///
    /// - Throws: ``NextTokenError/byteLevel(_:)`` with the errors of ``TextSlicer``.
    public func slices(of corpus: String) throws(NextTokenError) -> [String] {
        do {
            return try TextSlicer.slices(of: corpus, count: slices, length: sliceBytes, seed: seed ^ 0x5EED_0F_511CE5)
        } catch {
            throw .byteLevel(error)
        }
    }
}
