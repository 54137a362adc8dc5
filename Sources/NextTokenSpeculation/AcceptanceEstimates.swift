/// Live acceptance-rate estimates per draft source, Beta-prior counters with forgetting
/// (algorithms.md §2.5).
public struct AcceptanceEstimates: Sendable {
    struct Counter: Sendable {
        var hits: Double
        var tests: Double
        var mean: Double { hits / tests }
    }

    /// Deepest spine depth tracked separately; deeper nodes share the last counter.
    public static let pooledDepth = 8
    /// Multiplies every count after each step.
    public var forgetting = 0.995
    private var context: [[Counter]]
    private var recycled: [Counter]

    /// Priors: context 0.6, recycled `0.15/(r+1)`, each worth `priorWeight` observations.
    public init(maxN: Int = 3, k: Int = 8, priorWeight: Double = 8) {
        context = Array(repeating: Array(repeating: Counter(hits: 0.6 * priorWeight, tests: priorWeight),
                                         count: Self.pooledDepth), count: maxN)
        recycled = (0 ..< k).map { Counter(hits: 0.15 / Double($0 + 1) * priorWeight, tests: priorWeight) }
    }

    /// Estimates with given prior means: `contextMean(n, depth)` and `recycledMean(rank)`.
    public init(maxN: Int = 3, k: Int = 8, priorWeight: Double = 8,
                contextMean: (_ matchLength: Int, _ depth: Int) -> Double, recycledMean: (_ rank: Int) -> Double) {
        context = (1 ... maxN).map { n in
            (1 ... Self.pooledDepth).map { d in Counter(hits: contextMean(n, d) * priorWeight, tests: priorWeight) }
        }
        recycled = (0 ..< k).map { Counter(hits: recycledMean($0) * priorWeight, tests: priorWeight) }
    }

    /// Estimated acceptance of a spine node at `depth` after an n-gram match of `matchLength`.
    public func context(matchLength: Int, depth: Int) -> Double {
        context[clampN(matchLength)][min(max(depth, 1), Self.pooledDepth) - 1].mean
    }

    /// Estimated acceptance of a recycled candidate of `rank`.
    public func recycled(rank: Int) -> Double { recycled[min(rank, recycled.count - 1)].mean }

    /// Records whether a tested node (its parent matched) was matched.
    public mutating func record(_ source: DraftSource, depth: Int, hit: Bool) {
        switch source {
        case .context(let matchLength):
            let n = clampN(matchLength)
            let d = min(max(depth, 1), Self.pooledDepth) - 1
            context[n][d].tests += 1
            if hit { context[n][d].hits += 1 }
        case .recycled(let rank):
            let r = min(rank, recycled.count - 1)
            recycled[r].tests += 1
            if hit { recycled[r].hits += 1 }
        case .root, .ngramCache:
            break
        }
    }

    /// Applies one step of forgetting.
    public mutating func decay() {
        for n in context.indices {
            for d in context[n].indices {
                context[n][d].hits *= forgetting
                context[n][d].tests *= forgetting
            }
        }
        for r in recycled.indices {
            recycled[r].hits *= forgetting
            recycled[r].tests *= forgetting
        }
    }

    private func clampN(_ matchLength: Int) -> Int { min(max(matchLength, 1), context.count) - 1 }
}
