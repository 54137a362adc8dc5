import NextTokenCore

/// The subword model behind a ``Tokenizer``: one case per `tokenizer.ggml.model` family.
///
/// Each case encodes a segment of ordinary text (special tokens are cut out before) and says
/// which bytes its tokens stand for; a new family is a new case and a new type.
package enum SubwordModel: Sendable {
    /// GPT-2 style byte-level BPE (`gpt2`).
    case byteLevelBPE(ByteLevelBPE)

    /// The model that `vocabulary.model` names, with its pre-tokenizer.
    ///
    /// - Throws: ``TokenizerError/unknownPreTokenizer(name:model:)`` or
    ///   ``TokenizerError/invalidMerge(rank:merge:)``.
    package init(vocabulary: TokenizerVocabulary) throws(TokenizerError) {
        switch vocabulary.model {
        case .gpt2:
            let preTokenizer = try PreTokenizer(name: vocabulary.preTokenizer)
            self = .byteLevelBPE(try ByteLevelBPE(vocabulary: vocabulary, preTokenizer: preTokenizer))
        }
    }

    /// The bytes token text `text` of type `type` decodes to.
    package func bytes(ofToken text: String, type: Int32) -> [UInt8] {
        switch self {
        case .byteLevelBPE: ByteLevelBPE.bytes(ofToken: text, type: type)
        }
    }

    /// Appends the tokens of a segment of ordinary text to `ids`.
    package func encode(
        _ bytes: ArraySlice<UInt8>, workspace: inout EncodingWorkspace, into ids: inout [TokenID]
    ) {
        switch self {
        case .byteLevelBPE(let model): model.encode(bytes, workspace: &workspace, into: &ids)
        }
    }
}
