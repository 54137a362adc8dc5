import NextTokenCore

/// Goose (algorithms.md §2): anisotropic spine trees. A deep chain copied from a context match (the
/// spine) and wide recycled branches are chosen best-first under a node budget, valued by live
/// per-source acceptance estimates.
public final class GooseDrafter: Drafter {
    /// The shared Token Recycling matrix.
    public let matrix: RecyclingMatrix
    /// Acceptance estimates per source, updated after every step.
    public var estimates: AcceptanceEstimates
    /// Longest n-gram matched; shortest accepted.
    public var maxN = 3, minN = 1
    /// Longest spine.
    public var spineMax: Int
    /// Extra context chains from other occurrences.
    public var altSpines = 0
    private var index: ContextIndex

    public var name: String { "goose" }

    /// A drafter on `matrix` with the CPU defaults of §2.7.
    public init(matrix: RecyclingMatrix, spineMax: Int = 16) {
        self.matrix = matrix
        self.spineMax = spineMax
        index = ContextIndex(maxN: 3)
        estimates = AcceptanceEstimates(maxN: 3, k: matrix.k)
    }

    public func start(prompt: [TokenID]) {
        index = ContextIndex(maxN: maxN)
        index.extend(to: prompt)
    }

    /// One candidate child waiting in the frontier.
    struct Candidate {
        var value: Double
        var parent: Int
        var token: TokenID
        var source: DraftSource
        var acceptance: Double
        /// For spine candidates: which chain, and the position in it.
        var spine: (chain: Int, position: Int)?
        var depth: Int
        var rank: Int

        /// Best-first order: value, then smaller depth, then spine before recycled, then lower rank.
        func precedes(_ other: Candidate) -> Bool {
            if value != other.value { return value > other.value }
            if depth != other.depth { return depth < other.depth }
            if (spine != nil) != (other.spine != nil) { return spine != nil }
            return rank < other.rank
        }
    }

    public func draft(history: [TokenID], budget: Int) -> DraftTree {
        index.extend(to: history)
        let chains = index.matches(minN: minN, maxLength: spineMax, altCount: altSpines)
        return build(root: history.last ?? 0, chains: chains, budget: budget)
    }

    /// The best-first tree over the spine chains and the recycled candidates (§2.4).
    public func build(root: TokenID, chains: [ContextIndex.Match], budget: Int) -> DraftTree {
        var tree = DraftTree(root: root)
        var values: [Double] = [1]
        var spineAt: [(chain: Int, position: Int)?] = [nil]
        var frontier: [Candidate] = []

        func expand(_ node: Int) {
            var spineToken: TokenID?
            let depth = tree.nodes[node].depth + 1
            let nextSpine: [(chain: Int, position: Int)] = node == 0
                ? chains.indices.map { ($0, 0) }
                : spineAt[node].map { [($0.chain, $0.position + 1)] } ?? []
            for spine in nextSpine where spine.position < chains[spine.chain].continuation.count {
                let match = chains[spine.chain]
                let token = match.continuation[spine.position]
                let a = estimates.context(matchLength: match.length, depth: spine.position + 1)
                spineToken = spineToken ?? token
                frontier.append(Candidate(value: values[node] * a, parent: node, token: token,
                                          source: .context(matchLength: match.length), acceptance: a,
                                          spine: spine, depth: depth, rank: spine.chain))
            }
            for rank in 0 ..< matrix.k {
                let token = matrix.candidate(after: tree.nodes[node].token, rank: rank)
                guard token != RecyclingMatrix.sentinel, token != spineToken else { continue }
                let a = estimates.recycled(rank: rank)
                frontier.append(Candidate(value: values[node] * a, parent: node, token: token,
                                          source: .recycled(rank: rank), acceptance: a, spine: nil,
                                          depth: depth, rank: rank))
            }
        }

        expand(0)
        while tree.draftCount < budget, !frontier.isEmpty {
            var best = 0
            for i in frontier.indices.dropFirst() where frontier[i].precedes(frontier[best]) { best = i }
            let chosen = frontier.remove(at: best)
            guard let node = tree.add(token: chosen.token, parent: chosen.parent, source: chosen.source,
                                      prior: chosen.acceptance) else { continue }
            values.append(chosen.value)
            spineAt.append(chosen.spine)
            expand(node)
        }
        return tree
    }

    public var wantsRowCandidates: Bool { true }

    public func observe(_ outcome: VerificationOutcome) {
        matrix.update(with: outcome)
        let visited = Set(outcome.visitedNodes)
        estimates.decay()
        for (index, node) in outcome.tree.nodes.enumerated().dropFirst() where visited.contains(node.parent) {
            let spineDepth = node.depth
            estimates.record(node.source, depth: spineDepth, hit: visited.contains(index))
        }
    }
}
