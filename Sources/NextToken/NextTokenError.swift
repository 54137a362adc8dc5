import NextTokenChatTemplate
import NextTokenGGUF
import NextTokenModel
import NextTokenSampling
import NextTokenTokenizer

/// Why a request to the engine failed; each case wraps the typed error of the layer that failed.
public enum NextTokenError: Error, CustomStringConvertible {
    /// The model file could not be read.
    case gguf(GGUFError)
    /// The model could not be built or run.
    case model(ModelError)
    /// The tokenizer could not be built or used.
    case tokenizer(TokenizerError)
    /// The chat template could not be compiled or rendered.
    case chatTemplate(ChatTemplateError)
    /// The sampling options are invalid.
    case sampling(SamplingError)
    /// The prompt does not fit in the context.
    case promptTooLong(tokens: Int, contextLength: Int)
    /// The prompt is empty after tokenization and the model adds no BOS token.
    case emptyPrompt
    /// Any other invalid request.
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .gguf(let error): "\(error)"
        case .model(let error): "\(error)"
        case .tokenizer(let error): "\(error)"
        case .sampling(let error): "\(error)"
        case .chatTemplate(let error): "chat template \(error)"
        case .promptTooLong(let tokens, let context):
            "the prompt has \(tokens) tokens but the context holds \(context)"
        case .emptyPrompt: "the prompt is empty"
        case .invalidRequest(let reason): reason
        }
    }
}
