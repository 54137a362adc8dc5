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

extension UnsafeMutableBufferPointer where Element == WeightedToken {
    /// Moves the entries among the first `count` for which `isKept` holds to the front, in
    /// their order, and returns how many there are.
    func compact(count: Int, keeping isKept: (WeightedToken) -> Bool) -> Int {
        var kept = 0
        for index in 0 ..< count where isKept(self[index]) {
            self[kept] = self[index]
            kept &+= 1
        }
        return kept
    }
}
