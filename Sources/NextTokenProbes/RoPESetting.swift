import NextTokenGGUF
import NextTokenKernels
import NextTokenModel

/// One RoPE configuration as a model applies it to some of its layers: base, head dimension,
/// rotated dimensions, pairing and linear position scale (§9.2).
public struct RoPESetting: Sendable, Equatable {
    /// Which layers use it: `all`, `local` (sliding-window), `global`, or `bare` for a setting
    /// given by hand.
    public var layerType: String
    /// The frequency base (`<arch>.rope.freq_base`, or Gemma 3's local base).
    public var base: Float
    /// Floats per head.
    public var headDimension: Int
    /// Leading dimensions of a head that are rotated (even, at most ``headDimension``).
    public var rotaryDimensions: Int
    /// Which elements form the rotated pairs.
    public var pairing: RoPE.Pairing
    /// Positions are multiplied by this before rotating (linear RoPE scaling; 1 = none).
    public var frequencyScale: Float
    /// The model layers (0-based) that use this setting; empty for a bare setting.
    public var layers: [Int]

    /// A bare setting: every dimension rotated, adjacent pairs, no scaling.
    ///
    /// - Throws: ``ProbeError/invalidRoPESetting(_:)`` for a non-positive or odd head dimension
    ///   or a base that is not above 1.
    public init(base: Float, headDimension: Int) throws(ProbeError) {
        try self.init(layerType: "bare", base: base, headDimension: headDimension, rotaryDimensions: headDimension,
                      pairing: .normal, frequencyScale: 1, layers: [])
    }

    /// A setting from its parts, checked as in ``init(base:headDimension:)``.
    public init(
        layerType: String, base: Float, headDimension: Int, rotaryDimensions: Int, pairing: RoPE.Pairing,
        frequencyScale: Float, layers: [Int]
    ) throws(ProbeError) {
        guard headDimension > 0, headDimension % 2 == 0, headDimension <= 4096 else {
            throw .invalidRoPESetting("head dimension \(headDimension) must be even, positive and at most 4096")
        }
        guard rotaryDimensions > 0, rotaryDimensions % 2 == 0, rotaryDimensions <= headDimension else {
            throw .invalidRoPESetting("rotary dimensions \(rotaryDimensions) must be even and at most the head dimension")
        }
        guard base.isFinite, base > 1 else { throw .invalidRoPESetting("base \(base) must be above 1") }
        guard frequencyScale.isFinite, frequencyScale > 0 else {
            throw .invalidRoPESetting("frequency scale \(frequencyScale) must be positive")
        }
        self.layerType = layerType
        self.base = base
        self.headDimension = headDimension
        self.rotaryDimensions = rotaryDimensions
        self.pairing = pairing
        self.frequencyScale = frequencyScale
        self.layers = layers
    }

    /// The settings a model file describes, one per layer type: one for a Llama-family model,
    /// a local and a global one for Gemma 3. Only the metadata is read, not the weights.
    ///
    /// - Throws: ``ProbeError/unsupportedArchitecture(_:)`` for another architecture, and
    ///   ``ProbeError/invalidRoPESetting(_:)`` for hyper-parameters that do not make a setting.
    public static func settings(metadata: GGUFMetadata) throws(ProbeError) -> [RoPESetting] {
        let architecture = metadata["general.architecture"]?.string ?? "unknown"
        do {
            if architecture == "gemma3" {
                let hp = try Gemma3Hyperparameters(metadata: metadata, vocabularySize: 1)
                let layers = Array(0 ..< hp.blockCount)
                return [
                    try RoPESetting(layerType: "local", base: hp.localRopeBase, headDimension: hp.headDimension,
                                    rotaryDimensions: hp.headDimension, pairing: .neox, frequencyScale: 1,
                                    layers: layers.filter { hp.isLocal(layer: $0) }),
                    try RoPESetting(layerType: "global", base: hp.globalRopeBase, headDimension: hp.headDimension,
                                    rotaryDimensions: hp.headDimension, pairing: .neox, frequencyScale: 1,
                                    layers: layers.filter { !hp.isLocal(layer: $0) }),
                ]
            }
            let hp = try LlamaHyperparameters(metadata: metadata, vocabularySize: 1)
            return [try RoPESetting(
                layerType: "all", base: hp.ropeBase, headDimension: hp.headDimension,
                rotaryDimensions: hp.ropeDimensionCount, pairing: hp.ropePairing,
                frequencyScale: hp.ropeFrequencyScale, layers: Array(0 ..< hp.blockCount))]
        } catch let error as ProbeError {
            throw error
        } catch ModelError.unsupportedArchitecture {
            throw .unsupportedArchitecture(architecture)
        } catch {
            throw .invalidRoPESetting("\(architecture): \(error)")
        }
    }
}
