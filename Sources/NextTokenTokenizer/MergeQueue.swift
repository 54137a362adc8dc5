/// A binary min-heap of merge candidates, each packed as `rank << 32 | position`, so the lowest
/// rank comes out first and, among equal ranks, the leftmost position.
package struct MergeQueue: Sendable {
    private var heap: [UInt64] = []

    /// An empty queue.
    package init() {}

    /// Removes every candidate, keeping the storage.
    package mutating func removeAll() {
        heap.removeAll(keepingCapacity: true)
    }

    /// Adds the candidate merging the symbol at `position` with its right neighbour.
    package mutating func push(rank: Int32, position: Int) {
        var child = heap.count
        heap.append(UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(truncatingIfNeeded: position)))
        let value = heap[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[parent] > value else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = value
    }

    /// Removes and returns the candidate with the lowest rank, leftmost among equals.
    package mutating func pop() -> (rank: Int32, position: Int)? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return Self.unpack(last) }
        let top = heap[0]
        var parent = 0
        let count = heap.count
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count, heap[child + 1] < heap[child] { child += 1 }
            guard heap[child] < last else { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = last
        return Self.unpack(top)
    }

    private static func unpack(_ value: UInt64) -> (rank: Int32, position: Int) {
        (Int32(bitPattern: UInt32(value >> 32)), Int(UInt32(truncatingIfNeeded: value)))
    }
}
