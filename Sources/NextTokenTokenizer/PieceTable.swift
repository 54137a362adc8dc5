import NextTokenCore

/// A hash table from piece text (UTF-8 bytes) to token id, looked up with a span of the text
/// being encoded, so no lookup copies or allocates.
///
/// Open addressing with linear probing over a power-of-two slot array at most half full; the
/// piece bytes sit back to back in one array. Built once per tokenizer.
package struct PieceTable: Sendable {
    /// The bytes of every entry, back to back.
    private var storage: [UInt8] = []
    /// Where each entry's bytes start in `storage`, plus one final entry: the storage count.
    private var starts: [Int] = [0]
    /// The token id of each entry.
    private var ids: [TokenID] = []
    /// The entry index in each slot, or -1 for an empty slot.
    private var slots: [Int32]
    /// `slots.count - 1`.
    private let slotMask: Int
    /// The length in bytes of the longest piece: a longer span is never in the table.
    package private(set) var longestPieceLength = 0

    /// A table of `pieces`; where two pieces have the same text, the first keeps it.
    package init(pieces: [(text: String, id: TokenID)]) {
        var slotCount = 16
        while slotCount < 2 * pieces.count { slotCount *= 2 }
        slots = [Int32](repeating: -1, count: slotCount)
        slotMask = slotCount - 1
        ids.reserveCapacity(pieces.count)
        starts.reserveCapacity(pieces.count + 1)
        for (text, id) in pieces {
            let start = storage.count
            storage += text.utf8
            let found = storage.withUnsafeBufferPointer { buffer in
                slot(for: UnsafeBufferPointer(rebasing: buffer[start...]))
            }
            guard slots[found] < 0 else {
                storage.removeLast(storage.count - start)
                continue
            }
            slots[found] = Int32(truncatingIfNeeded: ids.count)
            ids.append(id)
            starts.append(storage.count)
            longestPieceLength = max(longestPieceLength, storage.count - start)
        }
    }

    /// The number of distinct pieces.
    package var count: Int { ids.count }

    /// The token whose piece is exactly `text`, or `nil`.
    @inline(__always)
    package func id(of text: UnsafeBufferPointer<UInt8>) -> TokenID? {
        guard text.count <= longestPieceLength else { return nil }
        let entry = slots[slot(for: text)]
        return entry < 0 ? nil : ids[Int(entry)]
    }

    /// The slot holding `text`, or the empty slot where it would go.
    private func slot(for text: UnsafeBufferPointer<UInt8>) -> Int {
        var index = Self.hash(text) & slotMask
        storage.withUnsafeBufferPointer { stored in
            while true {
                let entry = Int(slots[index])
                if entry < 0 { return }
                let start = starts[entry]
                let length = starts[entry + 1] - start
                if length == text.count {
                    var equal = true
                    for offset in 0..<length where stored[start + offset] != text[offset] {
                        equal = false
                        break
                    }
                    if equal { return }
                }
                index = (index + 1) & slotMask
            }
        }
        return index
    }

    /// FNV-1a over the bytes, with the high bits folded in so the low bits that pick a slot
    /// depend on every byte.
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        hash ^= hash >> 29
        return Int(truncatingIfNeeded: hash)
    }
}
