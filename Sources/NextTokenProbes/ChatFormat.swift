import NextTokenCore
import NextTokenTokenizer

/// How the probes wrap a user message for an instruction-tuned model, recognised from the
/// vocabulary's turn-marker control tokens.
public enum ChatFormat: String, Sendable, CaseIterable {
    /// `<|im_start|>user … <|im_end|>` turns (SmolLM2 and other ChatML models).
    case chatML = "chatml"
    /// `<start_of_turn>user … <end_of_turn>` turns, the assistant's role named `model` (Gemma).
    case gemma
    /// No turns: the message is the prompt as it is.
    case plain

    /// The format whose turn markers `tokenizer` has as single control tokens; `.plain` when
    /// it has neither.
    public static func detect(_ tokenizer: Tokenizer) -> ChatFormat {
        func isControlToken(_ text: String) -> Bool {
            let ids = tokenizer.encode(text, parseSpecial: true)
            return ids.count == 1 && tokenizer.isControl(ids[0])
        }
        if isControlToken("<|im_start|>"), isControlToken("<|im_end|>") { return .chatML }
        if isControlToken("<start_of_turn>"), isControlToken("<end_of_turn>") { return .gemma }
        return .plain
    }

    /// The prompt tokens for one user `message`, ending where the assistant's reply starts; BOS
    /// first when the vocabulary asks for it. The message itself is encoded as plain text.
    public func promptTokens(message: String, tokenizer: Tokenizer) -> [TokenID] {
        var ids: [TokenID] = []
        if tokenizer.addsBOS, let bos = tokenizer.bos { ids.append(bos) }
        let (open, close): (String, String) = switch self {
        case .chatML: ("<|im_start|>user\n", "<|im_end|>\n<|im_start|>assistant\n")
        case .gemma: ("<start_of_turn>user\n", "<end_of_turn>\n<start_of_turn>model\n")
        case .plain: ("", "")
        }
        ids += tokenizer.encode(open, parseSpecial: true)
        ids += tokenizer.encode(message, parseSpecial: false)
        ids += tokenizer.encode(close, parseSpecial: true)
        return ids
    }
}
