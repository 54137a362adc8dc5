import NextTokenCore

/// The tokenizer model family a vocabulary belongs to, spelled as `tokenizer.ggml.model` spells it.
public enum TokenizerModelKind: String, Sendable, CaseIterable {
    /// GPT-2 style byte-level BPE: texts in GPT-2's byte alphabet, merges applied by rank.
    case gpt2
    /// SentencePiece BPE (`llama`): pieces spelled with `▁` for space, merged by score, with
    /// `<0xXX>` byte pieces for characters the vocabulary lacks.
    case llama
}

/// Everything a ``Tokenizer`` is built from, as plain arrays.
///
/// The fields mirror GGUF's `tokenizer.ggml.*` metadata, so a GGUF file maps onto this type
/// one key per field (see `TokenizerVocabulary(metadata:)`), and tests can write a small
/// vocabulary inline. Nothing is checked here; ``Tokenizer/init(vocabulary:)`` validates.
public struct TokenizerVocabulary: Sendable {
    /// The tokenizer model family (`tokenizer.ggml.model`).
    public var model: TokenizerModelKind
    /// The pre-tokenizer name (`tokenizer.ggml.pre`), such as `smollm` or `llama-bpe`; a
    /// ``TokenizerModelKind/llama`` vocabulary has no pre-tokenizer and ignores it.
    public var preTokenizer: String
    /// The text of each token; the index is the token id.
    public var tokens: [String]
    /// The ``TokenType`` raw value of each token (1 normal … 6 byte), one per token.
    public var tokenTypes: [Int32]
    /// Merge rules `"left right"`; a rule's rank is its index, lowest applied first.
    public var merges: [String]
    /// One score per token, where the model has them; ``TokenizerModelKind/llama`` merges the
    /// pair whose joined piece scores highest, so it needs them.
    public var scores: [Float]?
    /// The beginning-of-sequence token.
    public var bos: TokenID?
    /// The end-of-sequence token.
    public var eos: TokenID?
    /// The unknown token.
    public var unknown: TokenID?
    /// The padding token.
    public var padding: TokenID?
    /// Whether ``Tokenizer/encodePrompt(_:parseSpecial:)`` starts with ``bos``.
    public var addBOS: Bool
    /// Whether ``Tokenizer/encodePrompt(_:parseSpecial:)`` ends with ``eos``.
    public var addEOS: Bool
    /// Whether the model expects a space before the first word (SentencePiece vocabularies): a
    /// ``TokenizerModelKind/llama`` tokenizer then adds `▁` before the text and drops that space
    /// again when decoding.
    public var addSpacePrefix: Bool
    /// Tokens after which generation stops: ``eos`` and any end-of-turn tokens.
    public var endOfGeneration: [TokenID]

    /// A vocabulary from its parts.
    ///
    /// - Parameters:
    ///   - tokenTypes: one ``TokenType`` raw value per token; `nil` makes every token normal.
    ///   - endOfGeneration: tokens that end generation; `nil` means just `eos`, when there is one.
    public init(
        model: TokenizerModelKind = .gpt2,
        preTokenizer: String,
        tokens: [String],
        tokenTypes: [Int32]? = nil,
        merges: [String] = [],
        scores: [Float]? = nil,
        bos: TokenID? = nil,
        eos: TokenID? = nil,
        unknown: TokenID? = nil,
        padding: TokenID? = nil,
        addBOS: Bool = false,
        addEOS: Bool = false,
        addSpacePrefix: Bool = false,
        endOfGeneration: [TokenID]? = nil
    ) {
        self.model = model
        self.preTokenizer = preTokenizer
        self.tokens = tokens
        self.tokenTypes = tokenTypes
            ?? Array(repeating: TokenType.normal.rawValue, count: tokens.count)
        self.merges = merges
        self.scores = scores
        self.bos = bos
        self.eos = eos
        self.unknown = unknown
        self.padding = padding
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix
        self.endOfGeneration = endOfGeneration ?? (eos.map { [$0] } ?? [])
    }
}
