import Foundation
import NextTokenCore

/// llama.cpp's n-gram cache (algorithms.md §3.2): for each n-gram of 1…4 tokens, how often each
/// token followed it.
public struct NGramCache: Sendable, Equatable {
    /// Shortest and longest n-gram recorded.
    public static let sizes = 1 ... 4

    /// Continuation counts per n-gram.
    public private(set) var counts: [[TokenID]: [TokenID: Int32]] = [:]

    /// An empty cache.
    public init() {}

    /// Records, for every n-gram size, the token at `index` following the n tokens before it.
    public mutating func record(_ tokens: [TokenID], at index: Int, sizes: ClosedRange<Int> = NGramCache.sizes) {
        for n in sizes where index - n >= 0 {
            counts[Array(tokens[index - n ..< index]), default: [:]][tokens[index], default: 0] += 1
        }
    }

    /// Records every position of `tokens` from `start` on.
    public mutating func record(_ tokens: [TokenID], from start: Int, sizes: ClosedRange<Int> = NGramCache.sizes) {
        for index in max(start, 1) ..< max(tokens.count, 1) { record(tokens, at: index, sizes: sizes) }
    }

    /// The continuation counts of `ngram`.
    public func continuations(of ngram: ArraySlice<TokenID>) -> [TokenID: Int32]? { counts[Array(ngram)] }

    /// Adds every count of `other` to this cache.
    public mutating func merge(_ other: NGramCache) {
        for (ngram, tokens) in other.counts {
            for (token, count) in tokens { counts[ngram, default: [:]][token, default: 0] += count }
        }
    }

    /// Little-endian binary: entry count, then per n-gram its length, tokens, continuation count,
    /// and (token, count) pairs, in sorted order so equal caches give equal files.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        func put(_ value: Int32) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        put(Int32(counts.count))
        for ngram in counts.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let tokens = counts[ngram] ?? [:]
            put(Int32(ngram.count))
            ngram.forEach(put)
            put(Int32(tokens.count))
            for token in tokens.keys.sorted() {
                put(token)
                put(tokens[token] ?? 0)
            }
        }
        return out
    }

    /// Reads ``serialized()`` output; `nil` for anything malformed.
    public init?(serialized bytes: [UInt8]) {
        var offset = 0
        func get() -> Int32? {
            guard offset + 4 <= bytes.count else { return nil }
            defer { offset += 4 }
            return Int32(littleEndian: bytes[offset ..< offset + 4].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })
        }
        guard let entries = get(), entries >= 0, Int(entries) <= bytes.count / 12 else { return nil }
        for _ in 0 ..< entries {
            guard let length = get(), Self.sizes.contains(Int(length)) else { return nil }
            var ngram: [TokenID] = []
            for _ in 0 ..< length {
                guard let token = get() else { return nil }
                ngram.append(token)
            }
            guard let pairs = get(), pairs >= 0, Int(pairs) <= (bytes.count - offset) / 8 else { return nil }
            var tokens: [TokenID: Int32] = [:]
            for _ in 0 ..< pairs {
                guard let token = get(), let count = get(), count > 0 else { return nil }
                tokens[token] = count
            }
            counts[ngram] = tokens
        }
        guard offset == bytes.count else { return nil }
    }
}
