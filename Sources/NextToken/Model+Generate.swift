import Foundation
import NextTokenCore

extension Model {
    /// The token ids `generate` feeds for `prompt`: BOS as the model asks, the chat template's render
    /// in chat mode.
    /// - Throws: ``NextTokenError/chatTemplate(_:)`` when the chat template cannot be compiled or rendered.
    public func promptTokens(for prompt: String, options: GenerationOptions = GenerationOptions())
        throws(NextTokenError) -> [TokenID]
    {
        try PromptBuilder(tokenizer: tokenizer, modelTemplate: effectiveChatTemplate).tokens(for: prompt, options: options)
    }

    /// Generates a continuation of `prompt`, streaming text deltas and then a summary.
    ///
    /// The work runs on a thread of its own; cancelling the consuming task (or dropping the
    /// stream) stops it before the next token.
    public func generate(
        _ prompt: String, options: GenerationOptions = GenerationOptions()
    ) -> AsyncThrowingStream<GenerationEvent, any Error> {
        do {
            return generate(tokens: try promptTokens(for: prompt, options: options), options: options)
        } catch {
            let (stream, continuation) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
            continuation.finish(throwing: error)
            return stream
        }
    }

    /// Generates a continuation of exactly `tokens` (no BOS or chat turns are added).
    public func generate(
        tokens: [TokenID], options: GenerationOptions = GenerationOptions()
    ) -> AsyncThrowingStream<GenerationEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
        let cancelled = CancellationFlag()
        continuation.onTermination = { _ in cancelled.set() }
        let run = GenerationRun(model: self, promptTokens: tokens, options: options)
        let thread = Thread {
            do {
                let summary = try run.run(emit: { continuation.yield(.text($0)) }, isCancelled: { cancelled.isSet })
                continuation.yield(.finished(summary))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
        return stream
    }

    /// Generates to the end and returns the summary (its text is the whole output).
    public func complete(_ prompt: String, options: GenerationOptions = GenerationOptions()) throws -> GenerationSummary {
        try GenerationRun(model: self, promptTokens: try promptTokens(for: prompt, options: options), options: options)
            .run(emit: { _ in }, isCancelled: { false })
    }
}

/// A flag set from one thread and read from another.
final class CancellationFlag: @unchecked Sendable {
    // Invariant: `value` is only touched while holding `lock`.
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
