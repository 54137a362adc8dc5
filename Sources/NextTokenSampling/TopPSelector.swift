/// Finds where top-p cuts without sorting: the last token of the smallest probability-sorted
/// prefix whose mass reaches the target.
///
/// Works like quickselect on the rank order of ``WeightedToken`` (higher weight first, lower id
/// first on ties): partition around a pivot, sum the weight of the part ranked before it, and
/// continue only in the part that contains the cut. The work buffer is kept between calls.
///
/// Masses are partial sums in partition order, not in sorted order, so when a prefix's mass
/// equals the target to within a few ulps the cut may differ by one token from a sort-then-sum
/// implementation; it is the same on every run for the same weights.
///
/// - Complexity: O(n) expected (median-of-three pivots), O(n²) worst case.
struct TopPSelector {
    private var work: [WeightedToken] = []

    /// The last token (in rank order) of the smallest rank-order prefix of `tokens` whose weight
    /// sum is `>= targetMass`. If rounding keeps every sum below the target, the last token of
    /// the narrowest range known to reach it (at worst the whole set) is returned.
    ///
    /// A token survives top-p exactly when it equals the boundary or ranks before it.
    /// - Precondition: `tokens` is not empty and `targetMass > 0`.
    mutating func boundary(
        of tokens: UnsafeMutableBufferPointer<WeightedToken>, targetMass: Double
    ) -> WeightedToken {
        precondition(!tokens.isEmpty && targetMass > 0, "top-p needs tokens and a positive target")
        if work.count < tokens.count {
            work = [WeightedToken](repeating: WeightedToken(id: 0, weight: 0), count: tokens.count)
        }
        return work.withUnsafeMutableBufferPointer { storage in
            let items = UnsafeMutableBufferPointer(rebasing: storage[..<tokens.count])
            _ = items.update(fromContentsOf: tokens)
            // Invariant: items[0 ..< low] are exactly the `low` best-ranked tokens, their mass
            // `massBefore` is below the target, and the cut lies in items[low ..< high].
            var low = 0
            var high = items.count
            var massBefore = 0.0
            while low < high {
                let (pivotIndex, massAhead) = Self.partition(items, low, high)
                let pivot = items[pivotIndex]
                if massBefore + massAhead >= targetMass {
                    high = pivotIndex  // non-empty: massAhead > 0 since massBefore < target
                } else if massBefore + massAhead + pivot.weight >= targetMass {
                    return pivot
                } else {
                    massBefore += massAhead + pivot.weight
                    low = pivotIndex &+ 1
                }
            }
            // Only reached by moving `low` up to `high`: items[low - 1] is that step's pivot,
            // which ranks after everything in items[0 ..< low].
            return items[low &- 1]
        }
    }

    /// Lomuto partition of `items[low ..< high]` around a median-of-three pivot.
    ///
    /// - Returns: the pivot's final index (everything before it in the range ranks before it,
    ///   everything after ranks after it) and the weight sum of the part before it.
    private static func partition(
        _ items: UnsafeMutableBufferPointer<WeightedToken>, _ low: Int, _ high: Int
    ) -> (pivotIndex: Int, massAhead: Double) {
        let last = high &- 1
        let middle = low &+ (last &- low) / 2
        // Median of first, middle, last; moved to `last`.
        if items[middle].ranks(before: items[low]) { items.swapAt(middle, low) }
        if items[last].ranks(before: items[low]) { items.swapAt(last, low) }
        if items[middle].ranks(before: items[last]) { items.swapAt(middle, last) }
        let pivot = items[last]
        var store = low
        var mass = 0.0
        for index in low ..< last where items[index].ranks(before: pivot) {
            items.swapAt(store, index)
            mass += items[store].weight
            store &+= 1
        }
        items.swapAt(store, last)
        return (store, mass)
    }
}
