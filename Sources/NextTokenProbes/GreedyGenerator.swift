import NextTokenCore
import NextTokenKernels
import NextTokenModel
import NextTokenSampling
import NextTokenTokenizer

/// Plain greedy decoding for the probes (ties go to the lowest id, as everywhere in the engine):
/// the replacement probe needs the exact ids a model emits, not just its text.
struct GreedyGenerator {
    let model: any LanguageModel
    let tokenizer: Tokenizer
    let pool: WorkerPool

    /// Generates after `prompt` until an end-of-generation token (not returned), a line break
    /// once some non-whitespace text was emitted (when `stopAtLineBreak`), or `maxTokens`.
    func generate(prompt: [TokenID], maxTokens: Int, stopAtLineBreak: Bool) throws -> [TokenID] {
        guard !prompt.isEmpty, maxTokens > 0 else { return [] }
        let context = model.makeContext(capacity: prompt.count + maxTokens, pool: pool)
        var logits = try model.logits(ForwardBatch(tokens: prompt, startingAt: 0), context: context,
                                      logitRows: [prompt.count - 1])
        var output: [TokenID] = []
        var sawText = false
        while output.count < maxTokens {
            let token = try logits.withUnsafeBufferPointer { buffer throws(SamplingError) in
                try Sampler.greedyToken(logits: UnsafeBufferPointer(rebasing: buffer[0 ..< model.vocabularySize]))
            }
            if tokenizer.isEndOfGeneration(token) { break }
            output.append(token)
            let bytes = (try? tokenizer.tokenBytes(token)) ?? []
            if stopAtLineBreak, let lineBreak = bytes.firstIndex(of: 0x0A) {
                if sawText || bytes[..<lineBreak].contains(where: { !Self.isSpace($0) }) { break }
            }
            if bytes.contains(where: { !Self.isSpace($0) }) { sawText = true }
            guard output.count < maxTokens else { break }
            logits = try model.logits(ForwardBatch(tokens: [token], startingAt: context.cache.length),
                                      context: context, logitRows: [0])
        }
        return output
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
