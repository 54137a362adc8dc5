import NextTokenCore

/// The subword model behind a ``Tokenizer``: one case per `tokenizer.ggml.model` family.
///
/// Each case says how a whole input text is normalized before special tokens are cut out,
/// encodes a segment of ordinary text, and says which bytes its tokens stand for; a new family
/// is a new case and a new type.
package enum SubwordModel: Sendable {
    /// GPT-2 style byte-level BPE (`gpt2`).
    case byteLevelBPE(ByteLevelBPE)
    /// SentencePiece BPE with byte fallback (`llama`).
    case sentencePieceBPE(SentencePieceBPE)

    /// The model that `vocabulary.model` names, with its pre-tokenizer.
    ///
    /// - Throws: ``TokenizerError/unknownPreTokenizer(name:model:)``,
    ///   ``TokenizerError/invalidMerge(rank:merge:)``, ``TokenizerError/missingScores(model:)``
    ///   or ``TokenizerError/countMismatch(field:count:tokenCount:)``.
    package init(vocabulary: TokenizerVocabulary) throws(TokenizerError) {
        switch vocabulary.model {
        case .gpt2:
            let preTokenizer = try PreTokenizer(name: vocabulary.preTokenizer)
            self = .byteLevelBPE(try ByteLevelBPE(vocabulary: vocabulary, preTokenizer: preTokenizer))
        case .llama:
            self = .sentencePieceBPE(try SentencePieceBPE(vocabulary: vocabulary))
        }
    }

    /// The bytes token text `text` of type `type` decodes to.
    package func bytes(ofToken text: String, type: Int32) -> [UInt8] {
        switch self {
        case .byteLevelBPE: ByteLevelBPE.bytes(ofToken: text, type: type)
        case .sentencePieceBPE: SentencePieceBPE.bytes(ofToken: text, type: type)
        }
    }

    /// The bytes of a whole input text as special tokens are looked for in them and segments
    /// are encoded: its UTF-8 for byte-level BPE; escaped, with spaces as `▁` and any dummy
    /// prefix, for SentencePiece.
    package func normalized(_ text: String) -> [UInt8] {
        switch self {
        case .byteLevelBPE: Array(text.utf8)
        case .sentencePieceBPE(let model): model.escaped(text)
        }
    }

    /// The bytes a special token's text is matched as, in the normalized text: SentencePiece
    /// matches its pieces after escaping, so a space in them also matches a literal `▁`.
    package func normalizedSpecialText(_ text: String) -> [UInt8] {
        switch self {
        case .byteLevelBPE: Array(text.utf8)
        case .sentencePieceBPE: Metaspace.escape(text.utf8, addingPrefix: false)
        }
    }

    /// Whether decoding drops the space of a dummy prefix from the start of a sequence.
    package var stripsDummyPrefix: Bool {
        switch self {
        case .byteLevelBPE: false
        case .sentencePieceBPE(let model): model.addsDummyPrefix
        }
    }

    /// Appends the tokens of a segment of normalized text to `ids`.
    package func encode(
        _ bytes: ArraySlice<UInt8>, workspace: inout EncodingWorkspace, into ids: inout [TokenID]
    ) {
        switch self {
        case .byteLevelBPE(let model): model.encode(bytes, workspace: &workspace, into: &ids)
        case .sentencePieceBPE(let model): model.encode(bytes, workspace: &workspace, into: &ids)
        }
    }
}
