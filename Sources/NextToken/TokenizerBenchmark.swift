import Dispatch
import NextTokenCore
import NextTokenTokenizer

/// Encode throughput of a tokenizer on a corpus: the corpus is cut at line boundaries into one
/// contiguous piece per thread, every piece is encoded on its own thread, and the wall time of
/// the slowest thread counts. Cutting at line starts can change the ids around each cut (a
/// pre-tokenizer piece never spans a line start in the supported pre-tokenizers, except runs of
/// blank lines), so the token count is reported per run.
public struct TokenizerBenchmark: Sendable {
    /// Thread counts to measure.
    public var threadCounts = [1, 2]
    /// Timed runs per thread count (after one untimed warm-up run).
    public var repetitions = 3

    /// One and two threads, three repetitions.
    public init() {}

    /// Measures `tokenizer` on `corpus` at every thread count.
    public func run(_ tokenizer: Tokenizer, corpus: String) throws(NextTokenError) -> [TokenizerBenchmarkResult] {
        guard repetitions > 0, threadCounts.allSatisfy({ $0 > 0 }) else {
            throw .invalidRequest("tokenizer benchmark repetitions and thread counts must be positive")
        }
        guard !corpus.isEmpty else { throw .invalidRequest("the tokenizer benchmark's corpus is empty") }
        let bytes = corpus.utf8.count
        return threadCounts.map { threads in
            // Copied out of the corpus before timing, so only encoding is timed.
            let pieces = Self.split(corpus, into: threads).map(String.init)
            _ = Self.encode(pieces, with: tokenizer)
            var seconds: [Double] = []
            var tokens = 0
            for _ in 0 ..< repetitions {
                let clock = ContinuousClock()
                let start = clock.now
                tokens = Self.encode(pieces, with: tokenizer)
                seconds.append((clock.now - start) / .seconds(1))
            }
            return TokenizerBenchmarkResult(threads: threads, bytes: bytes, tokens: tokens, seconds: seconds)
        }
    }

    /// Cuts `text` into at most `count` pieces of about equal size, each ending after a newline
    /// (the last one at the end of the text).
    static func split(_ text: String, into count: Int) -> [Substring] {
        let utf8 = text.utf8
        var pieces: [Substring] = []
        var start = utf8.startIndex
        for piece in 1 ..< max(count, 1) {
            let target = utf8.index(utf8.startIndex, offsetBy: utf8.count * piece / count)
            guard target > start, let newline = utf8[target...].firstIndex(of: UInt8(ascii: "\n")) else { continue }
            let end = utf8.index(after: newline)
            pieces.append(text[start ..< end])
            start = end
        }
        pieces.append(text[start...])
        return pieces
    }

    /// Encodes every piece on a thread of its own; returns the total token count.
    static func encode(_ pieces: [String], with tokenizer: Tokenizer) -> Int {
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: pieces.count)
        defer { counts.deallocate() }
        nonisolated(unsafe) let shared = counts
        DispatchQueue.concurrentPerform(iterations: pieces.count) { index in
            shared[index] = tokenizer.encode(pieces[index], parseSpecial: false).count
        }
        return counts.reduce(0, +)
    }
}

/// Encode throughput at one thread count.
public struct TokenizerBenchmarkResult: Sendable, Equatable {
    /// Threads that encoded pieces of the corpus concurrently.
    public let threads: Int
    /// Bytes of UTF-8 in the corpus.
    public let bytes: Int
    /// Tokens produced (all pieces together).
    public let tokens: Int
    /// Wall seconds of each timed repetition.
    public let seconds: [Double]

    /// Megabytes (10⁶ bytes) per second of the median repetition.
    public var megabytesPerSecond: Double { Double(bytes) / 1e6 / Benchmark.median(seconds) }
    /// Tokens per second of the median repetition.
    public var tokensPerSecond: Double { Double(tokens) / Benchmark.median(seconds) }
}
