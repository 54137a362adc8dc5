import NextTokenCore
import NextTokenTokenizer

/// The tokens of one vocabulary as the byte-level methods see them (design §6.2): each token's
/// bytes and the symbol it starts with, text tokens grouped by first byte, the tokens a document
/// starts with, and what the anchor rule needs to know about the vocabulary.
///
/// Built once per model (O(vocabulary size)); immutable and shareable afterwards.
public struct ByteVocabulary: Sendable {
    /// The tokenizer.
    public let tokenizer: Tokenizer
    /// Entries of a model's logits row: at least the tokenizer's vocabulary size (ids beyond it
    /// are padding and count as ``ByteAlphabet/special``).
    public let vocabularySize: Int
    /// The tokens every path starts with: BOS where the vocabulary adds it, else the document
    /// separator `<|endoftext|>` of GPT-2-style vocabularies, else BOS or EOS.
    public let startTokens: [TokenID]
    /// The bytes every stream starts with (a space when the vocabulary adds a dummy prefix).
    public let streamPrefix: [UInt8]
    /// Whether the anchor follows SentencePiece word junctions rather than pre-tokenizer pieces.
    let isSentencePiece: Bool

    /// The bytes of all tokens back to back; token `t` owns `storage[starts[t] ..< starts[t + 1]]`.
    private let storage: [UInt8]
    private let starts: [Int32]
    /// The ``ByteAlphabet`` symbol each token starts with.
    let firstSymbol: [UInt16]
    /// Text tokens (tokens that can be covers), by first byte.
    let textTokensByFirstByte: [[TokenID]]
    /// The bytes of user-defined tokens (matched in text before subword encoding), by first byte.
    let userDefinedByFirstByte: [[[UInt8]]]
    /// The longest user-defined token, in bytes.
    let longestUserDefined: Int
    /// SentencePiece: bytes that some piece joins to a following space (`>` in `>▁</`), so a
    /// word junction after them is not a boundary.
    let bridgingBytes: [Bool]

    /// The vocabulary of `tokenizer` for a model whose logits rows have `modelVocabularySize`
    /// entries.
    ///
    /// - Throws: ``ByteLevelError/vocabularyMismatch(tokenizer:model:)`` when the model has fewer
    ///   rows than the tokenizer has tokens, ``ByteLevelError/noStartToken``.
    public init(tokenizer: Tokenizer, modelVocabularySize: Int) throws(ByteLevelError) {
        let count = tokenizer.vocabularySize
        guard modelVocabularySize >= count else {
            throw .vocabularyMismatch(tokenizer: count, model: modelVocabularySize)
        }
        self.tokenizer = tokenizer
        vocabularySize = modelVocabularySize
        streamPrefix = tokenizer.streamPrefix
        isSentencePiece = tokenizer.streamKind == .sentencePiece

        var storage: [UInt8] = []
        var starts: [Int32] = [0]
        var firstSymbol = [UInt16](repeating: UInt16(ByteAlphabet.special), count: modelVocabularySize)
        var byFirstByte = [[TokenID]](repeating: [], count: 256)
        var userDefined = [[[UInt8]]](repeating: [], count: 256)
        var longest = 0
        var bridging = [Bool](repeating: false, count: 256)
        var separator: TokenID?
        for id in 0..<TokenID(count) {
            let bytes = (try? tokenizer.tokenBytes(id)) ?? []
            let type = tokenizer.tokenType(id).flatMap(TokenType.init(rawValue:))
            let isText = type == .normal || type == .userDefined || type == .byte
            if isText { storage += bytes }
            starts.append(Int32(truncatingIfNeeded: storage.count))
            switch type {
            case .normal, .userDefined, .byte:
                guard let first = bytes.first else { continue }
                firstSymbol[Int(id)] = UInt16(first)
                byFirstByte[Int(first)].append(id)
                if type == .userDefined {
                    userDefined[Int(first)].append(bytes)
                    longest = max(longest, bytes.count)
                }
                if type == .normal, isSentencePiece {
                    for index in bytes.indices.dropFirst() where bytes[index] == 0x20 && bytes[index - 1] != 0x20 {
                        bridging[Int(bytes[index - 1])] = true
                    }
                }
            case .control:
                if bytes == Array("<|endoftext|>".utf8), separator == nil { separator = id }
                if tokenizer.isEndOfGeneration(id) || id == tokenizer.eos {
                    firstSymbol[Int(id)] = UInt16(ByteAlphabet.endOfText)
                }
            default:
                break
            }
        }
        starts += repeatElement(Int32(truncatingIfNeeded: storage.count), count: modelVocabularySize - count)

        if tokenizer.addsBOS, let bos = tokenizer.bos {
            startTokens = [bos]
        } else if let separator {
            startTokens = [separator]
            firstSymbol[Int(separator)] = UInt16(ByteAlphabet.endOfText)
        } else if let first = tokenizer.bos ?? tokenizer.eos {
            startTokens = [first]
        } else {
            throw .noStartToken
        }
        self.storage = storage
        self.starts = starts
        self.firstSymbol = firstSymbol
        textTokensByFirstByte = byFirstByte
        userDefinedByFirstByte = userDefined
        longestUserDefined = longest
        bridgingBytes = bridging
    }

    /// The bytes of text token `token`; empty for control, unknown and unused tokens and padding ids.
    @inline(__always)
    public func bytes(of token: TokenID) -> ArraySlice<UInt8> {
        storage[Int(starts[Int(token)])..<Int(starts[Int(token) + 1])]
    }

    /// Byte count of `token`.
    @inline(__always)
    func length(of token: TokenID) -> Int {
        Int(starts[Int(token) + 1] - starts[Int(token)])
    }

    /// Byte `offset` of `token`.
    @inline(__always)
    func byte(of token: TokenID, at offset: Int) -> UInt8 {
        storage[Int(starts[Int(token)]) + offset]
    }

    /// The ``ByteAlphabet`` symbol `token` starts with: its first byte for a text token,
    /// ``ByteAlphabet/endOfText`` for EOS, end-of-turn and document-separator tokens,
    /// ``ByteAlphabet/special`` for everything else.
    public func firstSymbol(of token: TokenID) -> Int { Int(firstSymbol[Int(token)]) }

    /// Whether `token` is text, i.e. can be part of a cover.
    @inline(__always)
    public func isText(_ token: TokenID) -> Bool {
        firstSymbol[Int(token)] < 256
    }

    /// The bytes `tokens` stand for.
    func bytes(of tokens: some Sequence<TokenID>) -> [UInt8] {
        var result: [UInt8] = []
        for token in tokens { result += bytes(of: token) }
        return result
    }

    /// The canonical encoding of stream bytes `stream` (no start tokens).
    public func encode(stream: [UInt8]) -> [TokenID] {
        var encoder = StreamEncoder(vocabulary: self)
        return encoder.encode(stream[...])
    }

    /// The anchor boundary of stream bytes `stream` (design §6.3): bytes appended later never
    /// change the encoding of `stream[..<boundary]`.
    public func stableBoundary(of stream: [UInt8]) -> Int {
        var encoder = StreamEncoder(vocabulary: self)
        return encoder.stableBoundary(in: stream, end: stream.count, from: 0)
    }
}
