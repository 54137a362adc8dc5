import NextTokenCore

/// Why a vocabulary could not become a tokenizer, or why ids could not be decoded.
///
/// Every malformed vocabulary, metadata table or token id ends in one of these cases; none of
/// them traps.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// `tokenizer.ggml.model` names a tokenizer model this engine does not implement.
    case unsupportedModel(String)
    /// `tokenizer.ggml.pre` names a pre-tokenizer this engine does not know for `model`.
    case unknownPreTokenizer(name: String, model: String)
    /// The vocabulary has no tokens.
    case emptyVocabulary
    /// The vocabulary has more tokens than a ``TokenID`` can number.
    case vocabularyTooLarge(count: Int)
    /// A per-token array (`field`) does not have one entry per token.
    case countMismatch(field: String, count: Int, tokenCount: Int)
    /// A merge rule is not two token texts separated by a space, or names a token (or a merged
    /// token) that is not in the vocabulary.
    case invalidMerge(rank: Int, merge: String)
    /// A vocabulary of `model` (such as `llama`) that merges by score has no scores.
    case missingScores(model: String)
    /// A special-token id from the vocabulary (`role`: bos, eos, …) is not a valid token id.
    case specialTokenOutOfRange(role: String, id: Int, vocabularySize: Int)
    /// A token id handed to the decoder is not in `0 ..< vocabularySize`.
    case tokenOutOfRange(id: TokenID, vocabularySize: Int)
    /// A required metadata key is absent.
    case missingMetadata(key: String)
    /// A metadata value does not have the type the tokenizer needs.
    case wrongMetadataType(key: String, expected: String)

    /// A one-line English explanation naming what is wrong.
    public var description: String {
        switch self {
        case .unsupportedModel(let name):
            "tokenizer model '\(name)' is not supported"
        case .unknownPreTokenizer(let name, let model):
            "pre-tokenizer '\(name)' is not known for tokenizer model '\(model)'"
        case .emptyVocabulary:
            "the vocabulary has no tokens"
        case .vocabularyTooLarge(let count):
            "the vocabulary has \(count) tokens, more than a token id can number"
        case .countMismatch(let field, let count, let tokenCount):
            "\(field) has \(count) entries for \(tokenCount) tokens"
        case .invalidMerge(let rank, let merge):
            "merge \(rank) '\(merge)' is not two vocabulary tokens whose join is a token"
        case .missingScores(let model):
            "the '\(model)' vocabulary has no token scores to merge by"
        case .specialTokenOutOfRange(let role, let id, let vocabularySize):
            "\(role) token id \(id) is outside the vocabulary of \(vocabularySize) tokens"
        case .tokenOutOfRange(let id, let vocabularySize):
            "token id \(id) is outside the vocabulary of \(vocabularySize) tokens"
        case .missingMetadata(let key):
            "metadata key '\(key)' is missing"
        case .wrongMetadataType(let key, let expected):
            "metadata key '\(key)' is not \(expected)"
        }
    }
}
