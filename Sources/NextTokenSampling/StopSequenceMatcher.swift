/// Finds stop sequences in streamed UTF-8 output and decides which bytes are safe to show.
///
/// Bytes arrive per token (``append(_:)``); a stop string may span several tokens. The matcher
/// holds back the shortest tail of the text that could still be the start of a stop string and
/// emits everything before it, so emitted bytes are final: no emitted byte is ever part of a
/// matched stop string.
///
/// Generation stops at the occurrence that is *completed first* in the byte stream; among
/// occurrences completed at the same byte, the longest (earliest-starting) one wins. The text
/// before that occurrence is emitted and the stop string itself is not. This rule depends only
/// on the concatenated bytes, not on how they were split into tokens. Emitted chunks may end in
/// the middle of a UTF-8 character; the byte stream as a whole stays valid UTF-8 when the input
/// is.
public struct StopSequenceMatcher: Sendable {
    /// The stop sequences (empty ones are ignored: they would stop before any output).
    public let stops: [[UInt8]]
    /// Whether a stop sequence has been matched; afterwards nothing more is emitted.
    public private(set) var isStopped = false
    private var held: [UInt8] = []
    private let longestStopLength: Int

    /// A matcher for byte sequences.
    public init(stops: [[UInt8]]) {
        self.stops = stops.filter { !$0.isEmpty }
        longestStopLength = self.stops.map(\.count).max() ?? 0
    }

    /// A matcher for strings, compared as their UTF-8 bytes.
    public init(stopStrings: [String]) {
        self.init(stops: stopStrings.map { Array($0.utf8) })
    }

    /// Feeds the bytes of the next token.
    ///
    /// - Returns: `emit`, the bytes that are now final (possibly none, possibly bytes held back
    ///   from earlier tokens), and `stopped`, whether a stop sequence is complete. Once stopped,
    ///   every call returns `([], true)`.
    public mutating func append(_ bytes: [UInt8]) -> (emit: [UInt8], stopped: Bool) {
        guard !isStopped else { return ([], true) }
        held.append(contentsOf: bytes)
        if let matchStart = firstCompletedMatchStart() {
            let emit = Array(held[..<matchStart])
            held.removeAll()
            isStopped = true
            return (emit, true)
        }
        let keep = heldTailStart()
        let emit = Array(held[..<keep])
        held.removeFirst(keep)
        return (emit, false)
    }

    /// Ends the stream for another reason (length limit, end of sequence): returns the bytes
    /// still held back. After a stop it returns nothing.
    public mutating func finish() -> [UInt8] {
        defer { held.removeAll() }
        return isStopped ? [] : held
    }

    /// The start of the occurrence in `held` that ends first (longest on a tie), if any.
    ///
    /// Every occurrence lies inside `held`: bytes emitted earlier could not start one, and an
    /// occurrence inside earlier text would have stopped the stream then.
    private func firstCompletedMatchStart() -> Int? {
        var best: (end: Int, start: Int)?
        for stop in stops {
            guard let start = firstOccurrence(of: stop) else { continue }
            let end = start + stop.count
            if let current = best, current.end < end || (current.end == end && current.start <= start) {
                continue
            }
            best = (end, start)
        }
        return best?.start
    }

    /// The first index at which `stop` occurs in `held`.
    private func firstOccurrence(of stop: [UInt8]) -> Int? {
        guard stop.count <= held.count else { return nil }
        for start in 0 ... held.count - stop.count
        where held[start ..< start + stop.count].elementsEqual(stop) {
            return start
        }
        return nil
    }

    /// The smallest `start` such that `held[start...]` is a proper prefix of some stop sequence
    /// (`held.count` when no tail is): the bytes from there on must be held back.
    private func heldTailStart() -> Int {
        let longestProperPrefix = max(longestStopLength - 1, 0)
        for start in held.count - min(longestProperPrefix, held.count) ..< held.count {
            let tail = held[start...]
            if stops.contains(where: { $0.count > tail.count && $0.starts(with: tail) }) {
                return start
            }
        }
        return held.count
    }
}
