/// The role of one vocabulary entry, with GGUF's `tokenizer.ggml.token_type` codes as raw values.
public enum TokenType: Int32, Sendable, CaseIterable {
    /// An ordinary piece of text that the model's merges or scores can produce.
    case normal = 1
    /// The unknown-token placeholder.
    case unknown = 2
    /// A control token (`<|im_end|>`, `<bos>`): matched in text only when special tokens are
    /// parsed.
    case control = 3
    /// A user-defined token: always matched in text as a whole.
    case userDefined = 4
    /// A reserved entry that no text produces.
    case unused = 5
    /// A byte-fallback piece such as `<0x0A>`.
    case byte = 6
}
