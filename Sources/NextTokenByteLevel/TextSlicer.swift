import NextTokenSampling

/// Seeded random slices of a text for scoring (bits per byte): each starts at a line start
/// and ends on a character boundary, and no two overlap.
public enum TextSlicer {
    /// `count` non-overlapping slices of about `length` bytes (less when the end falls inside a
    /// character), in text order.
    ///
    /// Slice starts are drawn with ``SeededRandom`` (modulo the range) and moved to the next
    /// line start; draws that overlap a slice already taken are skipped.
    ///
    /// - Throws: ``ByteLevelError/invalidArgument(_:)`` when `count` is negative, `length` is
    ///   not positive, or `count` slices are not found in `count · 1000 + 1000` draws.
    public static func slices(of text: String, count: Int, length: Int, seed: UInt64) throws(ByteLevelError) -> [String] {
        guard count >= 0 else { throw .invalidArgument("the number of slices must not be negative") }
        guard length > 0 else { throw .invalidArgument("a slice must be at least 1 byte") }
        guard count > 0 else { return [] }
        let bytes = Array(text.utf8)
        guard bytes.count > length else {
            throw .invalidArgument("the text has \(bytes.count) bytes, not more than one \(length)-byte slice")
        }
        var random = SeededRandom(seed: seed)
        var taken: [Range<Int>] = []
        let draws = count * 1000 + 1000
        for _ in 0..<draws where taken.count < count {
            var start = Int(random.next() % UInt64(bytes.count - length))
            if start > 0 {
                guard let newline = bytes[(start - 1)...].firstIndex(of: UInt8(ascii: "\n")) else { continue }
                start = newline + 1
            }
            var end = start + length
            guard end <= bytes.count else { continue }
            while end > start, end < bytes.count, WordCharacters.isContinuation(bytes[end]) { end -= 1 }
            let range = start..<end
            guard !range.isEmpty, !taken.contains(where: { $0.overlaps(range) }) else { continue }
            taken.append(range)
        }
        guard taken.count == count else {
            throw .invalidArgument("found only \(taken.count) of \(count) non-overlapping \(length)-byte slices")
        }
        return taken.sorted { $0.lowerBound < $1.lowerBound }.map { String(decoding: bytes[$0], as: UTF8.self) }
    }
}
