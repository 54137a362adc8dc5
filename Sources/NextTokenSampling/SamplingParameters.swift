/// How a token is chosen from the model's logits.
///
/// The processed distribution applies the stages in the engine's order
/// temperature → top-k → top-p → min-p → softmax (see ``TokenDistributionBuilder`` for the exact
/// definition of each stage). Each stage has an "off" value, and the defaults turn all of them
/// off at temperature 1. Decoding does not validate; ``validate()`` does, and every type that
/// takes parameters (``Sampler``, ``TokenDistributionBuilder``) calls it.
public struct SamplingParameters: Sendable, Equatable, Codable {
    /// Divides the logits before the softmax. `0` means greedy (argmax, lowest id on ties).
    public var temperature: Double
    /// Keeps the `topK` highest logits. `0` turns top-k off.
    public var topK: Int
    /// Keeps the smallest most-probable set whose mass reaches `topP`. `1` turns top-p off.
    public var topP: Double
    /// Keeps tokens with probability `>= minP × (highest probability)`. `0` turns min-p off.
    public var minP: Double
    /// Seed of the request's random stream; `nil` lets the sampler pick one (it reports it).
    public var seed: UInt64?

    /// Parameters with every filter off at temperature 1 unless given.
    public init(
        temperature: Double = 1,
        topK: Int = 0,
        topP: Double = 1,
        minP: Double = 0,
        seed: UInt64? = nil
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.seed = seed
    }

    /// Greedy decoding: always the highest logit, lowest token id on ties.
    public static let greedy = SamplingParameters(temperature: 0)

    /// Whether every token is chosen by argmax rather than by a random draw.
    public var isGreedy: Bool { temperature == 0 }

    /// Checks every value's range.
    ///
    /// - Throws: the first out-of-range value, checked in declaration order: temperature
    ///   (finite, `>= 0`), topK (`>= 0`), topP (`(0, 1]`), minP (`[0, 1)`). NaN is out of range
    ///   everywhere.
    public func validate() throws(SamplingError) {
        guard temperature.isFinite, temperature >= 0 else {
            throw .invalidTemperature(temperature)
        }
        guard topK >= 0 else { throw .invalidTopK(topK) }
        guard topP > 0, topP <= 1 else { throw .invalidTopP(topP) }
        guard minP >= 0, minP < 1 else { throw .invalidMinP(minP) }
    }
}
