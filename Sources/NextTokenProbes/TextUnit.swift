import NextTokenCore
import NextTokenTokenizer

/// One word of a text as the probes see it: a whitespace-led word (`" word,"`) whose edges are
/// token boundaries of the text's encoding, with those tokens.
///
/// A unit starts where whitespace follows a non-whitespace character (or at the start of the
/// text), provided the encoding has a token boundary there; where a token crosses such a point,
/// the neighbouring words form one unit.
public struct TextUnit: Sendable, Equatable {
    /// The unit's bytes in the decoded text.
    public var byteRange: Range<Int>
    /// The unit's tokens in the encoding.
    public var tokenRange: Range<Int>

    /// The units of `ids` (an encoding of some text), whose decoded bytes are `bytes`.
    ///
    /// `atSequenceStart`: `ids` start the text, so a dummy-prefix piece at the front decodes
    /// without its space.
    public static func split(_ ids: [TokenID], bytes: [UInt8], tokenizer: Tokenizer, atSequenceStart: Bool = true)
        -> [TextUnit]
    {
        var boundaries: [Int: Int] = [0: 0]
        var offset = 0
        var start = atSequenceStart
        for (index, id) in ids.enumerated() {
            var length = (try? tokenizer.tokenBytes(id).count) ?? 0
            if start, tokenizer.stripsDummyPrefix, !tokenizer.isControl(id) {
                if tokenizer.dropsLeadingSpaceAtSequenceStart(id) { length -= 1 }
                start = false
            }
            offset += length
            boundaries[offset] = index + 1
        }
        var text = ClassifiedText()
        text.decode(bytes[...])
        var cuts: [(byte: Int, token: Int)] = [(0, 0)]
        for scalar in 1 ..< max(1, text.classes.count) {
            guard text.classes[scalar] == .whitespace, text.classes[scalar - 1] != .whitespace else { continue }
            let byte = text.byteOffsets[scalar]
            if let token = boundaries[byte], token > cuts[cuts.count - 1].token { cuts.append((byte, token)) }
        }
        cuts.append((bytes.count, ids.count))
        var units: [TextUnit] = []
        for (from, to) in zip(cuts, cuts.dropFirst()) where from.byte < to.byte || from.token < to.token {
            units.append(TextUnit(byteRange: from.byte ..< to.byte, tokenRange: from.token ..< to.token))
        }
        return units
    }
}
