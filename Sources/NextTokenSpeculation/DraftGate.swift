/// Decides before each verification pass how deep a draft tree is worth verifying, so that
/// speculation never costs more than it is expected to save.
///
/// Verifying a tree of `n` rows costs `cost(n)` single-row passes (the batch-cost curve) and
/// emits `1 + Σ_{d ≤ D} Π_{j ≤ d} p_j` tokens on average, where `p_d` is the chance that the walk
/// reaches depth `d` once it has reached `d − 1` and the tree has nodes there. For each depth
/// limit `D` the gate keeps the nodes of depth `≤ D` and picks the `D` with the most expected
/// tokens per unit of cost; `D = 0` verifies the pending token alone, a plain decoding step.
///
/// Both factors are learned while decoding: `p_d` from every verified step (counts that decay
/// toward a prior, so a paused drafter is tried again after a while), and the cost
/// of each row count from the measured step times (the batch-cost curve of this machine until
/// both a row count and a single row have been timed).
public struct DraftGate: Sendable {
    /// Depths with their own estimate; deeper nodes share the last one.
    public let trackedDepths: Int
    /// Prior chance of reaching depth 1, and the weight of each depth's prior in observations.
    public static let priorMean = 0.5
    public static let priorWeight = 2.0
    /// Multiplies the observed counts after every step.
    public static let decay = 0.97
    /// Weight of a new step time in the running mean of its row count.
    public static let timeWeight = 0.2

    /// `nexttoken bench --batch-curve --threads 1` on SmolLM2 (2026-11-29): cost of a pass of
    /// `rows` rows in single-row passes, interpolated linearly between these points.
    public static let defaultCostCurve: [(rows: Int, cost: Double)] = [
        (1, 1), (2, 1.25), (4, 1.8), (8, 3.1), (16, 6), (32, 12), (64, 25),
    ]

    private var reached: [Double]
    private var tested: [Double]
    /// Running mean seconds of a step, per row count.
    private var stepSeconds: [Int: Double] = [:]

    /// A gate that tracks `trackedDepths` depths separately.
    public init(trackedDepths: Int = 8) {
        self.trackedDepths = max(1, trackedDepths)
        reached = Array(repeating: 0, count: self.trackedDepths)
        tested = reached
    }

    /// The estimated chance of reaching depth `depth` (≥ 1) from depth `depth − 1`. Depth 1
    /// starts from ``priorMean``, every deeper depth from the estimate of the depth above it (a
    /// draft that gets that far tends to go on), so depths the gate has not let through for a
    /// while do not fall back to the prior and keep it shallow.
    public func reachProbability(depth: Int) -> Double {
        var estimate = Self.priorMean
        for index in 0 ..< min(max(depth, 1), trackedDepths) {
            estimate = (reached[index] + estimate * Self.priorWeight) / (tested[index] + Self.priorWeight)
        }
        return estimate
    }

    /// The cost of a pass of `rows` rows in single-row passes: measured when both have been
    /// timed, else the default curve.
    public func relativeCost(rows: Int) -> Double {
        if rows > 1, let single = stepSeconds[1], let multiple = stepSeconds[rows], single > 0 {
            return max(1, multiple / single)
        }
        return Self.interpolatedCost(rows: rows)
    }

    /// The default curve at `rows`.
    static func interpolatedCost(rows: Int) -> Double {
        let curve = defaultCostCurve
        guard rows > 1 else { return 1 }
        for (lower, upper) in zip(curve, curve.dropFirst()) where rows <= upper.rows {
            let fraction = Double(rows - lower.rows) / Double(upper.rows - lower.rows)
            return lower.cost + fraction * (upper.cost - lower.cost)
        }
        let last = curve[curve.count - 1]
        return last.cost * Double(rows) / Double(last.rows)
    }

    /// The depth limit with the most expected emitted tokens per unit of cost for `tree` (ties:
    /// the shallower limit).
    public func depthLimit(for tree: DraftTree) -> Int {
        let deepest = tree.depth
        guard deepest > 0 else { return 0 }
        var rowsUpTo = Array(repeating: 0, count: deepest + 1)
        for node in tree.nodes { rowsUpTo[node.depth] += 1 }
        for depth in 1 ... deepest { rowsUpTo[depth] += rowsUpTo[depth - 1] }
        var best = 0
        var bestValue = 1.0
        var expected = 1.0
        var reachChance = 1.0
        for depth in 1 ... deepest {
            reachChance *= reachProbability(depth: depth)
            expected += reachChance
            let value = expected / relativeCost(rows: rowsUpTo[depth])
            if value > bestValue {
                best = depth
                bestValue = value
            }
        }
        return best
    }

    /// Learns from a verified step: `tree` as verified, the nodes the walk visited (root first),
    /// and the step's duration.
    public mutating func record(tree: DraftTree, visited: [Int], seconds: Double) {
        for index in 0 ..< trackedDepths {
            reached[index] *= Self.decay
            tested[index] *= Self.decay
        }
        // A visited node with children tested the next depth; the walk went on if it matched.
        for (position, node) in visited.enumerated() where !tree.children(of: node).isEmpty {
            let index = min(tree.nodes[node].depth + 1, trackedDepths) - 1
            tested[index] += 1
            if position + 1 < visited.count { reached[index] += 1 }
        }
        let rows = tree.nodes.count
        stepSeconds[rows] = stepSeconds[rows].map { $0 + Self.timeWeight * (seconds - $0) } ?? seconds
    }
}

extension DraftTree {
    /// The nodes of depth `≤ depth`, in the same order (a valid tree: parents come first and are
    /// shallower).
    public func pruned(toDepth depth: Int) -> DraftTree {
        guard self.depth > depth else { return self }
        var pruned = DraftTree(root: nodes[0].token)
        var newIndex = Array(repeating: -1, count: nodes.count)
        newIndex[0] = 0
        for (index, node) in nodes.enumerated().dropFirst() where node.depth <= depth {
            newIndex[index] = pruned.add(token: node.token, parent: newIndex[node.parent], source: node.source,
                                         prior: node.prior) ?? -1
        }
        return pruned
    }
}
