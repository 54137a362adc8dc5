import NextTokenCore

/// Finds where top-k cuts: the `k`-th best candidate logit, without sorting the vocabulary.
///
/// Rank order is higher logit first, lower id first on ties. A bounded min-heap holds the `k`
/// best candidates seen so far with the worst at its root; one pass over the logits in id order
/// only touches the heap when a logit beats the root. The heap's buffer is kept between calls.
///
/// - Complexity: O(V) compares plus O(log k) per heap replacement (O(V log k) worst case).
struct TopKSelector {
    /// A candidate logit and its token id.
    struct RankedLogit {
        var logit: Float
        var id: TokenID

        /// Whether `self` comes after `other` in rank order (is the worse of the two).
        @inline(__always)
        func ranks(after other: RankedLogit) -> Bool {
            logit < other.logit || (logit == other.logit && id > other.id)
        }

        /// Whether `self` is at or above `boundary` in rank order, i.e. survives top-k.
        @inline(__always)
        func isKept(by boundary: RankedLogit) -> Bool {
            logit > boundary.logit || (logit == boundary.logit && id <= boundary.id)
        }
    }

    private var heap: [RankedLogit] = []

    /// The `k`-th best candidate of `logits` in rank order, or `nil` when there are fewer than
    /// `k` candidates (logits above `-infinity`) and top-k keeps them all.
    ///
    /// A token survives top-k exactly when it is a candidate and ``RankedLogit/isKept(by:)``
    /// holds for the returned boundary.
    /// - Precondition: `k >= 1`.
    mutating func boundary(in logits: UnsafeBufferPointer<Float>, k: Int) -> RankedLogit? {
        precondition(k >= 1, "top-k needs k >= 1")
        guard k < logits.count else { return nil }
        if heap.count != k {
            heap.removeAll(keepingCapacity: true)
            heap.append(contentsOf: repeatElement(RankedLogit(logit: 0, id: 0), count: k))
        }
        return heap.withUnsafeMutableBufferPointer { storage -> RankedLogit? in
            var size = 0
            var index = 0
            // Fill the heap with the first k candidates.
            while index < logits.count && size < k {
                let logit = logits[index]
                if logit > -.infinity {
                    storage[size] = RankedLogit(logit: logit, id: TokenID(truncatingIfNeeded: index))
                    Self.siftUp(storage, from: size)
                    size &+= 1
                }
                index &+= 1
            }
            guard size == k else { return nil }
            // Then only logits that beat the root touch the heap. Ids only grow, so an equal
            // logit ranks after the root; NaN never passes.
            var rootLogit = storage[0].logit
            while index < logits.count {
                let logit = logits[index]
                if logit > rootLogit {
                    storage[0] = RankedLogit(logit: logit, id: TokenID(truncatingIfNeeded: index))
                    Self.siftDown(storage, size: k)
                    rootLogit = storage[0].logit
                }
                index &+= 1
            }
            return storage[0]
        }
    }

    /// Restores the heap (every parent ranks after its children) after writing slot `index`.
    @inline(__always)
    private static func siftUp(_ heap: UnsafeMutableBufferPointer<RankedLogit>, from index: Int) {
        var child = index
        let entry = heap[child]
        while child > 0 {
            let parent = (child &- 1) / 2
            guard heap[parent].ranks(after: entry) == false else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = entry
    }

    /// Restores the heap after replacing the root.
    @inline(__always)
    private static func siftDown(_ heap: UnsafeMutableBufferPointer<RankedLogit>, size: Int) {
        let entry = heap[0]
        var parent = 0
        while true {
            var worst = 2 &* parent &+ 1
            guard worst < size else { break }
            let right = worst &+ 1
            if right < size, heap[right].ranks(after: heap[worst]) { worst = right }
            guard heap[worst].ranks(after: entry) else { break }
            heap[parent] = heap[worst]
            parent = worst
        }
        heap[parent] = entry
    }
}
