import NextTokenCore
import NextTokenTokenizer

/// Small vocabularies written inline for the probe tests, and a brute-force enumeration of
/// encodings that shares no code with ``EncodingEnumerator``.
enum ProbeVocabularies {
    /// Byte-level BPE (GPT-2 pre-tokenizer): the 256 byte tokens, then one token per merge
    /// below, then `<x>` (user-defined) and `<|end|>` (control).
    static func byteLevel() throws -> Tokenizer {
        func spell(_ bytes: [UInt8]) -> String {
            String(decoding: bytes.flatMap { ByteLevelAlphabet.spellingBytes(of: $0) }, as: UTF8.self)
        }
        var tokens = (0 ... 255).map { spell([UInt8($0)]) }
        var merges: [String] = []
        let pairs: [([UInt8], [UInt8])] = [
            (Array(" ".utf8), Array("a".utf8)), (Array(" a".utf8), Array("b".utf8)), (Array("a".utf8), Array("b".utf8)),
            (Array("ab".utf8), Array("c".utf8)), (Array("1".utf8), Array("2".utf8)), (Array("c".utf8), Array(",".utf8)),
            ([0xC3], [0xA9]), (Array(" ".utf8), Array(" ".utf8)), (Array("b".utf8), Array("c".utf8)),
        ]
        for (left, right) in pairs {
            merges.append(spell(left) + " " + spell(right))
            tokens.append(spell(left + right))
        }
        var types = [Int32](repeating: TokenType.normal.rawValue, count: tokens.count)
        tokens += ["<x>", "<|end|>"]
        types += [TokenType.userDefined.rawValue, TokenType.control.rawValue]
        return try Tokenizer(vocabulary: TokenizerVocabulary(
            preTokenizer: "gpt2", tokens: tokens, tokenTypes: types, merges: merges))
    }

    /// SentencePiece BPE: `<unk>`, `<s>`, `</s>`, `<x>` (user-defined), optionally the 256 byte
    /// pieces, then scored pieces; `▁` spells a space. `ab` appears twice (a duplicate entry).
    static func sentencePiece(addSpacePrefix: Bool, byteFallback: Bool = true) throws -> Tokenizer {
        var tokens = ["<unk>", "<s>", "</s>", "<x>"]
        var types: [TokenType] = [.unknown, .control, .control, .userDefined]
        var scores: [Float] = [0, 0, 0, -1000]
        if byteFallback {
            for byte in 0 ... 255 {
                tokens.append("<0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true) + ">")
                types.append(.byte)
                scores.append(0)
            }
        }
        let pieces = ["▁ab", "▁a", "ab", "bc", "abc", "12", "▁▁", "a", "b", "c", "▁", "1", "2", "é", "e", ",", "ab"]
        for (rank, piece) in pieces.enumerated() {
            tokens.append(piece)
            types.append(.normal)
            scores.append(-Float(rank))
        }
        return try Tokenizer(vocabulary: TokenizerVocabulary(
            model: .llama, preTokenizer: "default", tokens: tokens, tokenTypes: types.map(\.rawValue),
            scores: scores, bos: 1, eos: 2, unknown: 0, addSpacePrefix: addSpacePrefix))
    }

    /// The id of the first token whose bytes are `text`'s UTF-8 and whose type is `type`.
    static func id(_ text: String, _ tokenizer: Tokenizer, type: TokenType = .normal) -> TokenID {
        (0 ..< TokenID(tokenizer.vocabularySize)).first {
            (try? tokenizer.tokenBytes($0)) == Array(text.utf8) && tokenizer.tokenType($0) == type.rawValue
        } ?? -1
    }

    /// Every token sequence made of normal, byte and user-defined tokens that decodes to
    /// `bytes`, found by trying every vocabulary entry at every step. At a sequence start the
    /// first token's bytes are what `decode([token])` gives (a dummy-prefix space dropped).
    static func bruteForceEncodings(of bytes: [UInt8], tokenizer: Tokenizer, atSequenceStart: Bool) -> Set<[TokenID]> {
        let allowed: [TokenID] = (0 ..< TokenID(tokenizer.vocabularySize)).filter {
            let type = tokenizer.tokenType($0)
            return type == TokenType.normal.rawValue || type == TokenType.byte.rawValue
                || type == TokenType.userDefined.rawValue
        }
        guard !bytes.isEmpty else { return [[]] }
        // Each token's bytes inside a sequence, and decoded alone (as the first token).
        let spellings: [(id: TokenID, stored: [UInt8], first: [UInt8])] = allowed.compactMap { id in
            guard let stored = try? tokenizer.tokenBytes(id), let first = try? tokenizer.decode([id]) else { return nil }
            return (id, stored, first)
        }
        var found: Set<[TokenID]> = []
        var path: [TokenID] = []
        func visit(_ offset: Int, first: Bool) {
            if offset == bytes.count {
                found.insert(path)
                return
            }
            for spelling in spellings {
                let piece = first ? spelling.first : spelling.stored
                path.append(spelling.id)
                if piece.isEmpty {
                    // Only a dummy-prefix space piece decodes to nothing, and only first.
                    if first, !spelling.stored.isEmpty { visit(offset, first: false) }
                } else if bytes[offset...].starts(with: piece) {
                    visit(offset + piece.count, first: false)
                }
                path.removeLast()
            }
        }
        visit(0, first: atSequenceStart)
        return found
    }
}
