import NextTokenCore

/// A token with its unnormalised softmax weight `exp((logit − maxLogit) / temperature)`.
struct WeightedToken {
    var id: TokenID
    var weight: Double

    /// The probability-sorted order of top-p: higher weight first, lower id first on ties.
    @inline(__always)
    func ranks(before other: WeightedToken) -> Bool {
        weight > other.weight || (weight == other.weight && id < other.id)
    }
}

extension Array where Element == WeightedToken {
    /// Removes the tokens for which `isRemoved` holds, keeping the others in their order.
    mutating func removeAllKeepingOrder(where isRemoved: (WeightedToken) -> Bool) {
        var kept = 0
        for index in indices where !isRemoved(self[index]) {
            self[kept] = self[index]
            kept += 1
        }
        removeLast(count - kept)
    }
}
