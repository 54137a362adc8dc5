import NextTokenCore
@testable import NextTokenTokenizer

/// Small SentencePiece (`llama`) vocabularies written inline.
enum InlineSentencePiece {
    /// A vocabulary laid out as `<unk>` (0, unknown), `<s>` (1, control), `</s>` (2, control),
    /// then `specials`, then, with `byteFallback`, the 256 byte pieces `<0x00>`…`<0xFF>` (score
    /// 0), then the normal `pieces` with their scores. Spaces in piece texts are written `▁`.
    static func make(
        pieces: [(String, Float)],
        specials: [(String, TokenType)] = [],
        byteFallback: Bool = true,
        addSpacePrefix: Bool = false
    ) -> TokenizerVocabulary {
        var tokens = ["<unk>", "<s>", "</s>"]
        var types: [TokenType] = [.unknown, .control, .control]
        var scores: [Float] = [0, 0, 0]
        for (text, type) in specials {
            tokens.append(text)
            types.append(type)
            scores.append(-1000)
        }
        if byteFallback {
            for byte in 0...255 {
                tokens.append("<0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true) + ">")
                types.append(.byte)
                scores.append(0)
            }
        }
        for (text, score) in pieces {
            tokens.append(text)
            types.append(.normal)
            scores.append(score)
        }
        return TokenizerVocabulary(
            model: .llama, preTokenizer: "default", tokens: tokens, tokenTypes: types.map(\.rawValue),
            scores: scores, bos: 1, eos: 2, unknown: 0, addSpacePrefix: addSpacePrefix)
    }

    /// The piece text of each id, for readable expectations.
    static func pieces(_ ids: [TokenID], _ vocabulary: TokenizerVocabulary) -> [ExactText] {
        ids.map { ExactText(vocabulary.tokens.indices.contains(Int($0)) ? vocabulary.tokens[Int($0)] : "?\($0)") }
    }

    /// The pieces `text` encodes to with `vocabulary`.
    static func encode(
        _ text: String, _ vocabulary: TokenizerVocabulary, parseSpecial: Bool = false
    ) throws -> [ExactText] {
        pieces(try Tokenizer(vocabulary: vocabulary).encode(text, parseSpecial: parseSpecial), vocabulary)
    }
}
