import NextTokenCore
import NextTokenModel
import NextTokenSampling

/// Plain (non-speculative) decoding: each step runs the last token through the model on top of
/// the KV cache and samples the next token from its logits.
///
/// The one-row batch is rewritten in place, and the model, the worker pool and the sampler reuse
/// their buffers, so a warm step allocates nothing (`DecodeAllocationTests` counts).
struct PlainDecoder {
    let model: any LanguageModel
    let context: ModelContext
    /// The last step's logits: `model.vocabularySize` floats, owned by the caller.
    let logits: UnsafeMutablePointer<Float>
    private var batch = ForwardBatch(tokens: [0], positions: [0])
    private let logitRows = [0]

    init(model: any LanguageModel, context: ModelContext, logits: UnsafeMutablePointer<Float>) {
        self.model = model
        self.context = context
        self.logits = logits
    }

    /// Appends `token` to the cache and to `history` (the penalties' window; reserve its capacity
    /// to keep the step allocation-free) and returns the token sampled after it.
    mutating func step(
        feeding token: TokenID, history: inout [TokenID], sampler: inout Sampler
    ) throws(NextTokenError) -> TokenID {
        batch.tokens[0] = token
        batch.positions[0] = context.cache.length
        try GenerationRun.forward(model, batch, context: context, rows: logitRows, logits: logits)
        history.append(token)
        return try GenerationRun.sample(&sampler, logits, model.vocabularySize, history: history)
    }
}
