import NextTokenCore
@testable import NextTokenTokenizer

/// Small byte-level vocabularies written inline, and helpers to read results as text.
enum InlineVocabulary {
    /// `text`'s UTF-8 bytes spelled in GPT-2's byte alphabet, as a vocabulary writes them.
    static func spell(_ text: String) -> String {
        String(decoding: text.utf8.flatMap { ByteLevelAlphabet.spellingBytes(of: $0) }, as: UTF8.self)
    }

    /// A vocabulary of one token per byte value (in byte order, except `missingBytes`), then the
    /// merged token of each merge, then `specials`.
    ///
    /// - Parameter merges: pairs of plain texts, in rank order; `("a", "b")` is the rule `a b`.
    static func make(
        preTokenizer: String = "gpt2",
        merges: [(String, String)] = [],
        missingBytes: Set<UInt8> = [],
        specials: [(String, TokenType)] = []
    ) -> TokenizerVocabulary {
        var tokens = (0...UInt8.max).filter { !missingBytes.contains($0) }
            .map { String(decoding: ByteLevelAlphabet.spellingBytes(of: $0), as: UTF8.self) }
        var rules: [String] = []
        for (left, right) in merges {
            rules.append(spell(left) + " " + spell(right))
            let joined = spell(left + right)
            if !tokens.contains(joined) { tokens.append(joined) }
        }
        var types = [Int32](repeating: TokenType.normal.rawValue, count: tokens.count)
        for (text, type) in specials {
            tokens.append(text)
            types.append(type.rawValue)
        }
        return TokenizerVocabulary(
            preTokenizer: preTokenizer, tokens: tokens, tokenTypes: types, merges: rules)
    }

    /// The text of each token in `ids`, for readable expectations.
    static func texts(_ ids: [TokenID], _ tokenizer: Tokenizer) throws -> [ExactText] {
        try ids.map { ExactText(String(decoding: try tokenizer.tokenBytes($0), as: UTF8.self)) }
    }

    /// The pieces `preTokenizer` cuts `text` into.
    static func pieces(_ text: String, _ preTokenizer: PreTokenizer) -> [ExactText] {
        let bytes = Array(text.utf8)
        var classified = ClassifiedText()
        classified.decode(bytes[...])
        var ends: [Int] = []
        preTokenizer.split(classified, 0..<classified.values.count, into: &ends)
        var start = 0
        return ends.map { end in
            defer { start = end }
            let range = classified.byteOffsets[start]..<classified.byteOffsets[end]
            return ExactText(String(decoding: bytes[range], as: UTF8.self))
        }
    }
}

/// Text compared scalar by scalar: unlike `String ==`, NFC and NFD spellings differ.
struct ExactText: Equatable, ExpressibleByStringLiteral, CustomStringConvertible {
    let scalars: [Unicode.Scalar]

    init(_ text: String) { scalars = Array(text.unicodeScalars) }
    init(stringLiteral text: String) { self.init(text) }

    var description: String {
        scalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : "\\u{\(String($0.value, radix: 16))}" }
            .joined()
    }
}
