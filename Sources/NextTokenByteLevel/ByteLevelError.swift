import NextTokenCore
import NextTokenModel
import NextTokenSampling
import NextTokenTokenizer

/// Why a byte-level computation (design §6) could not be done.
public enum ByteLevelError: Error, Equatable, CustomStringConvertible {
    /// The transformer failed (context full, bad batch …).
    case model(ModelError)
    /// The tokenizer failed.
    case tokenizer(TokenizerError)
    /// The sampling parameters are invalid.
    case sampling(SamplingError)
    /// The vocabulary has no token to start a document with (no BOS, no `<|endoftext|>`, no EOS).
    case noStartToken
    /// The tokenizer cannot produce the text: the byte at `offset` (of the text) has no token,
    /// so every byte-level probability of it is zero.
    case impossibleByte(UInt8, offset: Int)
    /// The encoding of a text does not decode back to its bytes (a byte the vocabulary drops).
    case unencodableText(offset: Int)
    /// The model and the tokenizer disagree about the vocabulary size.
    case vocabularyMismatch(tokenizer: Int, model: Int)
    /// A token path is longer than the model's context.
    case contextFull(needed: Int, capacity: Int)
    /// A cover-set invariant failed: the canonical encoding of the bytes so far is neither a
    /// cover nor computable (should not happen; reported instead of trapping).
    case inconsistentState(String)
    /// Ensemble weights are negative, not finite, all zero, or not one per model.
    case invalidWeights([Double])
    /// An ensemble needs at least one model.
    case emptyEnsemble
    /// Any other invalid argument.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .model(let error): "\(error)"
        case .tokenizer(let error): "\(error)"
        case .sampling(let error): "invalid sampling parameters: \(error)"
        case .noStartToken: "the vocabulary has no BOS, <|endoftext|> or EOS token to start a document"
        case .impossibleByte(let byte, let offset):
            "byte 0x\(String(byte, radix: 16)) at offset \(offset) has no token: its probability is zero"
        case .unencodableText(let offset): "the tokenizer drops the byte at offset \(offset) of the text"
        case .vocabularyMismatch(let tokenizer, let model):
            "the tokenizer has \(tokenizer) tokens but the model \(model) logits"
        case .contextFull(let needed, let capacity):
            "the token path needs \(needed) positions but the context holds \(capacity)"
        case .inconsistentState(let reason): "inconsistent byte-level state: \(reason)"
        case .invalidWeights(let weights): "invalid ensemble weights \(weights)"
        case .emptyEnsemble: "an ensemble needs at least one model"
        case .invalidArgument(let reason): reason
        }
    }
}
