import NextTokenCore

/// How a token is chosen from the model's logits.
///
/// The stages run in one order: penalties → logit bias → temperature → top-k → top-p → min-p →
/// typical-p → sample (see ``Sampler`` for the history stages and ``TokenDistributionBuilder``
/// for the rest). Each stage has an "off" value, and the defaults turn all of them
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
    /// llama.cpp's `repeat_penalty`: a positive logit of a token in the penalty window is divided
    /// by it, a negative one multiplied. `1` turns it off.
    public var repetitionPenalty: Double = 1
    /// OpenAI's frequency penalty: subtracts `count × frequencyPenalty` from a token's logit,
    /// `count` being its occurrences in the window. `0` turns it off.
    public var frequencyPenalty: Double = 0
    /// OpenAI's presence penalty: subtracts it once from the logit of every token in the window.
    /// `0` turns it off.
    public var presencePenalty: Double = 0
    /// The penalties look at the last `penaltyWindow` tokens of the history; `-1` means all of
    /// them, `0` none.
    public var penaltyWindow: Int = 64
    /// Added to the logit of each listed token after the penalties; `-infinity` bans a token.
    public var logitBias: [TokenID: Float] = [:]
    /// Locally typical sampling: keeps the tokens closest to the entropy (by `|−log p − H|`)
    /// until their mass reaches `typicalP`. `1` turns it off.
    public var typicalP: Double = 1

    /// Parameters with every filter and penalty off at temperature 1 unless given.
    public init(
        temperature: Double = 1,
        topK: Int = 0,
        topP: Double = 1,
        minP: Double = 0,
        seed: UInt64? = nil,
        repetitionPenalty: Double = 1,
        frequencyPenalty: Double = 0,
        presencePenalty: Double = 0,
        penaltyWindow: Int = 64,
        logitBias: [TokenID: Float] = [:],
        typicalP: Double = 1
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.seed = seed
        self.repetitionPenalty = repetitionPenalty
        self.frequencyPenalty = frequencyPenalty
        self.presencePenalty = presencePenalty
        self.penaltyWindow = penaltyWindow
        self.logitBias = logitBias
        self.typicalP = typicalP
    }

    /// Whether a stage before temperature changes the logits (penalties or logit bias).
    public var adjustsLogits: Bool {
        hasPenalties || !logitBias.isEmpty
    }

    /// Whether any history penalty is on (and the window is not empty).
    public var hasPenalties: Bool {
        penaltyWindow != 0 && (repetitionPenalty != 1 || frequencyPenalty != 0 || presencePenalty != 0)
    }

    /// Greedy decoding: always the highest logit, lowest token id on ties.
    public static let greedy = SamplingParameters(temperature: 0)

    /// Whether every token is chosen by argmax rather than by a random draw.
    public var isGreedy: Bool { temperature == 0 }

    /// Checks every value's range.
    ///
    /// - Throws: the first out-of-range value, checked in declaration order: temperature
    ///   (finite, `>= 0`), topK (`>= 0`), topP (`(0, 1]`), minP (`[0, 1)`), repetitionPenalty
    ///   (finite, `> 0`), frequencyPenalty and presencePenalty (finite), penaltyWindow (`>= -1`),
    ///   logitBias (ids `>= 0`; biases a number below `+infinity`, lowest id first), typicalP
    ///   (`(0, 1]`). NaN is out of range everywhere.
    public func validate() throws(SamplingError) {
        guard temperature.isFinite, temperature >= 0 else {
            throw .invalidTemperature(temperature)
        }
        guard topK >= 0 else { throw .invalidTopK(topK) }
        guard topP > 0, topP <= 1 else { throw .invalidTopP(topP) }
        guard minP >= 0, minP < 1 else { throw .invalidMinP(minP) }
        guard repetitionPenalty.isFinite, repetitionPenalty > 0 else {
            throw .invalidRepetitionPenalty(repetitionPenalty)
        }
        guard frequencyPenalty.isFinite else { throw .invalidFrequencyPenalty(frequencyPenalty) }
        guard presencePenalty.isFinite else { throw .invalidPresencePenalty(presencePenalty) }
        guard penaltyWindow >= -1 else { throw .invalidPenaltyWindow(penaltyWindow) }
        for (token, bias) in logitBias.sorted(by: { $0.key < $1.key }) {
            guard token >= 0, !bias.isNaN, bias < .infinity else {
                throw .invalidLogitBias(token: token, bias: bias)
            }
        }
        guard typicalP > 0, typicalP <= 1 else { throw .invalidTypicalP(typicalP) }
    }
}
