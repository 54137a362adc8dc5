import NextTokenCore

/// Turns text into token ids and token ids back into bytes, for one vocabulary.
///
/// Built once from a ``TokenizerVocabulary`` (which it validates); immutable and safe to share
/// between threads afterwards.
public struct Tokenizer: Sendable {
    let model: SubwordModel
    let specialTokens: SpecialTokenMatcher
    private let tokenTypes: [Int32]
    private let endOfGeneration: Set<TokenID>
    /// Whether prompts start with BOS (`tokenizer.ggml.add_bos_token`).
    public let addsBOS: Bool
    private let addsEOS: Bool
    /// The bytes of each token.
    let tokenByteTable: TokenBytesTable
    /// Whether decoding drops the leading space a dummy prefix put before a sequence.
    package let stripsDummyPrefix: Bool

    /// The beginning-of-sequence token, if the vocabulary has one.
    public let bos: TokenID?
    /// The end-of-sequence token, if the vocabulary has one.
    public let eos: TokenID?

    /// The number of tokens: valid ids are `0 ..< vocabularySize`.
    public var vocabularySize: Int { tokenTypes.count }

    /// A tokenizer for `vocabulary`.
    ///
    /// - Throws: ``TokenizerError/emptyVocabulary``, ``TokenizerError/vocabularyTooLarge(count:)``,
    ///   ``TokenizerError/countMismatch(field:count:tokenCount:)`` when token types or scores do
    ///   not match the tokens, ``TokenizerError/specialTokenOutOfRange(role:id:vocabularySize:)``,
    ///   ``TokenizerError/unknownPreTokenizer(name:model:)`` and
    ///   ``TokenizerError/invalidMerge(rank:merge:)``.
    public init(vocabulary: TokenizerVocabulary) throws(TokenizerError) {
        let count = vocabulary.tokens.count
        guard count > 0 else { throw .emptyVocabulary }
        guard count <= Int(TokenID.max) else { throw .vocabularyTooLarge(count: count) }
        guard vocabulary.tokenTypes.count == count else {
            throw .countMismatch(field: "token types", count: vocabulary.tokenTypes.count,
                                 tokenCount: count)
        }
        if let scores = vocabulary.scores, scores.count != count {
            throw .countMismatch(field: "scores", count: scores.count, tokenCount: count)
        }
        let roles: [(String, TokenID?)] = [
            ("bos", vocabulary.bos), ("eos", vocabulary.eos), ("unknown", vocabulary.unknown),
            ("padding", vocabulary.padding),
        ] + vocabulary.endOfGeneration.map { ("end-of-generation", $0) }
        for case (let role, let id?) in roles where !(0..<TokenID(count)).contains(id) {
            throw .specialTokenOutOfRange(role: role, id: Int(id), vocabularySize: count)
        }

        let model = try SubwordModel(vocabulary: vocabulary)
        self.model = model
        specialTokens = SpecialTokenMatcher(
            tokens: vocabulary.tokens, types: vocabulary.tokenTypes, spelling: model.normalizedSpecialText)
        tokenTypes = vocabulary.tokenTypes
        tokenByteTable = TokenBytesTable(tokenCount: count) { index in
            model.bytes(ofToken: vocabulary.tokens[index], type: vocabulary.tokenTypes[index])
        }
        stripsDummyPrefix = model.stripsDummyPrefix
        endOfGeneration = Set(vocabulary.endOfGeneration)
        addsBOS = vocabulary.addBOS
        addsEOS = vocabulary.addEOS
        bos = vocabulary.bos
        eos = vocabulary.eos
    }

    /// The tokens of `text`, without BOS or EOS.
    ///
    /// User-defined tokens are always matched as whole tokens. Control tokens are matched only
    /// when `parseSpecial` is true (use it for rendered chat templates); otherwise their text is
    /// encoded like any other (use that for text a user typed). For a SentencePiece vocabulary
    /// they are matched in the escaped text, so a space in a token's text also matches `▁`.
    public func encode(_ text: String, parseSpecial: Bool) -> [TokenID] {
        let bytes = model.normalized(text)
        var ids: [TokenID] = []
        ids.reserveCapacity(bytes.count / 3 + 1)
        var workspace = EncodingWorkspace()
        guard !specialTokens.isEmpty else {
            model.encode(bytes[...], workspace: &workspace, into: &ids)
            return ids
        }
        for segment in specialTokens.segments(of: bytes, parseSpecial: parseSpecial) {
            switch segment {
            case .text(let range): model.encode(bytes[range], workspace: &workspace, into: &ids)
            case .token(let token): ids.append(token)
            }
        }
        return ids
    }

    /// The tokens of a prompt: ``encode(_:parseSpecial:)`` between BOS and EOS, each added only
    /// where the vocabulary asks for it (`tokenizer.ggml.add_bos_token` / `add_eos_token`).
    public func encodePrompt(_ text: String, parseSpecial: Bool) -> [TokenID] {
        var ids: [TokenID] = []
        if addsBOS, let bos { ids.append(bos) }
        ids += encode(text, parseSpecial: parseSpecial)
        if addsEOS, let eos { ids.append(eos) }
        return ids
    }

    /// Whether generation stops after `id` (EOS or an end-of-turn token).
    public func isEndOfGeneration(_ id: TokenID) -> Bool {
        endOfGeneration.contains(id)
    }

    /// Whether `id` is a control token; `false` for an id outside the vocabulary.
    public func isControl(_ id: TokenID) -> Bool {
        tokenType(id) == TokenType.control.rawValue
    }

    /// The ``TokenType`` raw value of `id`, or `nil` for an id outside the vocabulary.
    public func tokenType(_ id: TokenID) -> Int32? {
        tokenTypes.indices.contains(Int(id)) ? tokenTypes[Int(id)] : nil
    }
}
