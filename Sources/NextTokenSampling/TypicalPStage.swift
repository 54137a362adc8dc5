import Foundation
import NextTokenCore

/// Stage 7 of the sampler chain: locally typical sampling (Meister et al. 2022).
///
/// With `p` the survivors' probabilities (weights over their sum) and `H = −Σ p ln p` their
/// entropy, the tokens are ranked by `|−ln p − H|` ascending (lower id first on ties) and the
/// smallest prefix whose mass reaches `typicalP` is kept (at least one token). The survivors
/// stay in increasing id order. The ranking sorts a scratch buffer kept between calls.
struct TypicalPStage: Sendable {
    let typicalP: Double
    /// `(score, position)` pairs of the current call.
    private var ranking: [(score: Double, position: Int32)] = []
    /// Whether the survivor at a position is kept.
    private var kept: [Bool] = []

    init(typicalP: Double) {
        self.typicalP = typicalP
    }

    /// Keeps the typical set among the first `count` survivors and returns how many remain.
    mutating func apply(to survivors: UnsafeMutableBufferPointer<WeightedToken>, count: Int) -> Int {
        guard typicalP < 1, count > 1 else { return count }
        var total = 0.0
        for index in 0 ..< count { total += survivors[index].weight }
        var entropy = 0.0
        for index in 0 ..< count {
            let p = survivors[index].weight / total
            if p > 0 { entropy -= p * log(p) }
        }
        ranking.removeAll(keepingCapacity: true)
        for index in 0 ..< count {
            let p = survivors[index].weight / total
            ranking.append((score: abs(-log(p) - entropy), position: Int32(truncatingIfNeeded: index)))
        }
        // Positions are in id order, so the position breaks ties by lower id.
        ranking.sort { $0.score < $1.score || ($0.score == $1.score && $0.position < $1.position) }
        if kept.count < count { kept = [Bool](repeating: false, count: count) }
        var mass = 0.0
        for entry in ranking {
            kept[Int(entry.position)] = true
            mass += survivors[Int(entry.position)].weight / total
            if mass >= typicalP { break }
        }
        var remaining = 0
        for index in 0 ..< count where kept[index] {
            survivors[remaining] = survivors[index]
            kept[index] = false
            remaining &+= 1
        }
        return remaining
    }
}
