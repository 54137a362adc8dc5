import NextTokenCore
import NextTokenSampling
import NextTokenTokenizer

/// Turns emitted tokens into final text: end-of-generation and length checks, streaming
/// detokenization, and stop strings that may span tokens (held back until they cannot match).
struct TokenEmitter {
    let tokenizer: Tokenizer
    let options: GenerationOptions
    let deliver: (GenerationEvent) -> Void
    private(set) var tokens: [TokenID] = []
    private(set) var text: [UInt8] = []
    private(set) var stopReason: StopReason?
    private var detokenizer: StreamingDetokenizer
    private var stops: StopSequenceMatcher

    init(tokenizer: Tokenizer, options: GenerationOptions, deliver: @escaping (GenerationEvent) -> Void) {
        self.tokenizer = tokenizer
        self.options = options
        self.deliver = deliver
        detokenizer = StreamingDetokenizer(tokenizer: tokenizer, continuing: true)
        stops = StopSequenceMatcher(stopStrings: options.stopStrings)
        if options.maxTokens == 0 { stopReason = .maxTokens }
    }

    /// Whether generation has ended.
    var isFinished: Bool { stopReason != nil }

    /// Tokens that may still be emitted.
    var remaining: Int { isFinished ? 0 : options.maxTokens - tokens.count }

    /// Emits one token sampled from `logits`; afterwards ``isFinished`` says whether generation
    /// ended with it. With `options.logprobs` set, its log-probability goes out before its text.
    mutating func emit(_ token: TokenID, logits: UnsafeBufferPointer<Float>) throws(NextTokenError) {
        try emit(token, logprob: options.logprobs.map { TokenLogprob(token: token, logits: logits, topCount: $0) })
    }

    /// Emits one token whose log-probability event (sent when `options.logprobs` is set) was
    /// computed earlier, when its logits were at hand.
    mutating func emit(_ token: TokenID, logprob: TokenLogprob?) throws(NextTokenError) {
        precondition(!isFinished, "emit after the end of generation")
        tokens.append(token)
        if let logprob { deliver(.logprob(logprob)) }
        if !options.ignoreEndOfGeneration && tokenizer.isEndOfGeneration(token) {
            stopReason = .endOfGeneration
            return
        }
        let chunk: String
        do {
            chunk = try detokenizer.append(token)
        } catch {
            throw .tokenizer(error)
        }
        let matched = stops.append(Array(chunk.utf8))
        send(matched.emit)
        if matched.stopped {
            stopReason = .stopString
        } else if tokens.count >= options.maxTokens {
            stopReason = .maxTokens
        }
    }

    /// Ends generation for `reason` unless it already ended.
    mutating func end(_ reason: StopReason) {
        if stopReason == nil { stopReason = reason }
    }

    /// Flushes held-back bytes once generation has ended (a stop string's text is never sent).
    mutating func flush() {
        guard stopReason != .stopString else { return }
        let tail = stops.append(Array(detokenizer.finish().utf8))
        send(tail.emit)
        if tail.stopped {
            stopReason = .stopString
        } else {
            send(stops.finish())
        }
    }

    private mutating func send(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        text += bytes
        deliver(.text(String(decoding: bytes, as: UTF8.self)))
    }
}
