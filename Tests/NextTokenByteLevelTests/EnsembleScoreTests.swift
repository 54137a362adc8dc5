import Foundation
import NextTokenByteLevel
import Testing

/// A predictor whose next-byte distribution depends on the bytes so far: most mass on
/// `(last + step) mod 256`, the rest spread evenly.
private final class RollingPredictor: BytePredictor {
    let step: Int
    var last = 0

    init(step: Int) { self.step = step }

    func distribution() throws(ByteLevelError) -> ByteDistribution {
        var weights = [Double](repeating: 1, count: ByteAlphabet.size)
        weights[(last + step) % 256] = 300
        return try ByteDistribution(weights: weights)
    }

    func advance(_ byte: UInt8) throws(ByteLevelError) -> Double {
        let probability = try distribution()[Int(byte)]
        last = Int(byte)
        return log(probability)
    }
}

@Suite("Scoring members and their ensemble in one walk")
struct EnsembleScoreTests {
    @Test("the one-walk scores equal scoring each member and the ensemble separately")
    func matchesSeparateScoring() throws {
        let text = Array("abcabd xyz".utf8)
        let together = try TextScorer.scoreBytes(
            text, ensemble: ByteEnsemble(members: [RollingPredictor(step: 1), RollingPredictor(step: 2)], weights: [1, 3]),
            tokenCount: 4)
        let first = try TextScorer.scoreBytes(text, predictors: [RollingPredictor(step: 1)], tokenCount: 4)[0]
        let second = try TextScorer.scoreBytes(text, predictors: [RollingPredictor(step: 2)], tokenCount: 4)[0]
        let mixed = try TextScorer.scoreBytes(
            text, predictors: [ByteEnsemble(members: [RollingPredictor(step: 1), RollingPredictor(step: 2)], weights: [1, 3])],
            tokenCount: 4)[0]
        #expect(together.count == 3)
        for (score, reference) in zip(together, [first, second, mixed]) {
            #expect(score.byteCount == text.count && score.tokenCount == 4)
            #expect(abs(score.totalLogProbability - reference.totalLogProbability) < 1e-12)
        }
        #expect(first.totalLogProbability != second.totalLogProbability)
    }
}
