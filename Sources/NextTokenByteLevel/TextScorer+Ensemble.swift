import Foundation

extension TextScorer {
    /// The byte-level scores of `text` under every member of `ensemble` and under the ensemble
    /// itself, in one walk (each member advances once per byte, where scoring the members and
    /// the ensemble separately would run every member twice). The members must have been built
    /// with an empty prompt. The members' scores come first, in order, then the ensemble's.
    ///
    /// - Throws: ``ByteLevelError/impossibleByte(_:offset:)`` when the ensemble gives a byte
    ///   probability 0, and the members' errors.
    public static func scoreBytes(
        _ text: [UInt8], ensemble: ByteEnsemble, tokenCount: Int
    ) throws(ByteLevelError) -> [TextScore] {
        var units = [[TextScore.Unit]](repeating: [], count: ensemble.members.count + 1)
        for byte in text {
            for (index, member) in ensemble.members.enumerated() {
                let probability = try member.distribution()[Int(byte)]
                units[index].append(.init(bytes: [byte], token: nil, logProbability: log(probability)))
            }
            units[ensemble.members.count].append(.init(bytes: [byte], token: nil, logProbability: try ensemble.advance(byte)))
        }
        return units.map { TextScore(units: $0, tokenCount: tokenCount, byteCount: text.count) }
    }
}
