import NextTokenCore
import NextTokenSpeculation
import Testing

@Suite("Draft gate")
struct DraftGateTests {
    /// A chain of `length` draft nodes after the root.
    static func chain(_ length: Int) -> DraftTree {
        var tree = DraftTree(root: 0)
        for depth in 1 ... max(length, 1) where depth <= length {
            tree.add(token: TokenID(depth), parent: depth - 1, source: .ngramCache)
        }
        return tree
    }

    /// Brute force over depth limits with the gate's own estimates.
    static func bestLimit(_ gate: DraftGate, _ tree: DraftTree) -> Int {
        var best = 0
        var bestValue = 1.0
        for limit in 0 ... tree.depth {
            var expected = 1.0
            for depth in stride(from: 1, through: limit, by: 1) {
                expected += (1 ... depth).reduce(1.0) { $0 * gate.reachProbability(depth: $1) }
            }
            let value = expected / gate.relativeCost(rows: tree.pruned(toDepth: limit).nodes.count)
            if value > bestValue + 1e-12 {
                best = limit
                bestValue = value
            }
        }
        return best
    }

    @Test("the chosen limit maximises expected tokens per unit of cost")
    func choosesBestLimit() {
        var gate = DraftGate()
        let tree = Self.chain(6)
        #expect(gate.depthLimit(for: tree) == Self.bestLimit(gate, tree))
        // Drafts that always reach depth 2 and never 3.
        for _ in 0 ..< 40 {
            gate.record(tree: tree, visited: [0, 1, 2], seconds: 0.01)
        }
        #expect(gate.reachProbability(depth: 1) > 0.9)
        #expect(gate.reachProbability(depth: 3) < 0.1)
        #expect(gate.depthLimit(for: tree) == Self.bestLimit(gate, tree))
        #expect(gate.depthLimit(for: tree) == 2)
    }

    @Test("drafts that keep failing are dropped, then tried again once the evidence has decayed")
    func pausesAndRetries() {
        var gate = DraftGate()
        let tree = Self.chain(3)
        #expect(gate.depthLimit(for: tree) > 0)
        var pausedSteps = 0
        var retried = false
        for _ in 0 ..< 400 {
            let limit = gate.depthLimit(for: tree)
            if limit == 0 {
                pausedSteps += 1
                gate.record(tree: tree.pruned(toDepth: 0), visited: [0], seconds: 0.01)
            } else {
                if pausedSteps > 0 { retried = true }
                gate.record(tree: tree.pruned(toDepth: limit), visited: [0], seconds: 0.013)
            }
        }
        #expect(pausedSteps > 300)
        #expect(retried)
    }

    @Test("measured step times replace the default cost curve")
    func learnsCosts() {
        var gate = DraftGate()
        #expect(abs(gate.relativeCost(rows: 4) - 1.8) < 1e-9)
        #expect(abs(gate.relativeCost(rows: 3) - 1.525) < 1e-9)
        gate.record(tree: Self.chain(0), visited: [0], seconds: 0.010)
        gate.record(tree: Self.chain(3), visited: [0, 1, 2, 3], seconds: 0.030)
        #expect(abs(gate.relativeCost(rows: 4) - 3) < 1e-9)
        // Expensive rows make a deep draft worth less than a plain step unless it is very likely.
        #expect(gate.depthLimit(for: Self.chain(3)) < 3)
    }

    @Test("pruning keeps the shallow nodes in order with their parents")
    func pruning() {
        var tree = DraftTree(root: 9)
        let a = tree.add(token: 1, parent: 0, source: .recycled(rank: 0))!
        let b = tree.add(token: 2, parent: 0, source: .recycled(rank: 1))!
        let c = tree.add(token: 3, parent: a, source: .recycled(rank: 0))!
        tree.add(token: 4, parent: b, source: .recycled(rank: 0))
        tree.add(token: 5, parent: c, source: .recycled(rank: 0))
        let pruned = tree.pruned(toDepth: 2)
        #expect(pruned.tokens == [9, 1, 2, 3, 4])
        #expect(pruned.nodes.map(\.parent) == [-1, 0, 0, 1, 2])
        #expect(pruned.satisfiesInvariants())
        #expect(tree.pruned(toDepth: 0).tokens == [9])
        #expect(tree.pruned(toDepth: 5).tokens == tree.tokens)
    }
}
