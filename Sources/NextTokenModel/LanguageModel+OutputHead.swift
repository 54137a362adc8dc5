import NextTokenKernels

extension LanguageModel {
    /// The output head, one row per token (the "keys" that next-token logits are dot products with);
    /// the token embedding when the model ties them. `nil` for an implementation without one.
    package var outputHeadMatrix: WeightMatrix? {
        switch self as AnyObject {
        case let llama as LlamaModel: llama.outputHead
        case let gemma as Gemma3Model: gemma.tokenEmbedding
        default: nil
        }
    }
}
