import NextTokenCore
import NextTokenSpeculation
import NextTokenTestSupport
import Testing

@Suite("Goose spine trees")
struct GooseTests {
    /// E = Σ over draft nodes of the product of acceptances along the node's path.
    static func expectedAccepted(_ tree: DraftTree) -> Double {
        var value = [1.0]
        var total = 0.0
        for node in tree.nodes.dropFirst() {
            value.append(value[node.parent] * node.prior)
            total += value.last!
        }
        return total
    }

    /// A node of the candidate forest, expanded independently of the drafter's code.
    struct ForestNode {
        var parent: Int
        var token: TokenID
        var value: Double
        var spinePosition: Int?
    }

    /// The candidate forest to depth `budget`: the spine chain and each token's recycled row.
    static func forest(matrix: RecyclingMatrix, root: TokenID, spine: [TokenID], alphaContext: Double,
                       alphaRecycled: (Int) -> Double, budget: Int) -> [ForestNode] {
        var nodes = [ForestNode(parent: -1, token: root, value: 1, spinePosition: 0)]
        var frontier = [0]
        for _ in 0 ..< budget {
            var next: [Int] = []
            for index in frontier {
                let node = nodes[index]
                var spineToken: TokenID?
                if let position = node.spinePosition, position + 1 < spine.count {
                    spineToken = spine[position + 1]
                    nodes.append(ForestNode(parent: index, token: spine[position + 1],
                                            value: node.value * alphaContext, spinePosition: position + 1))
                    next.append(nodes.count - 1)
                }
                for rank in 0 ..< matrix.k {
                    let token = matrix.candidate(after: node.token, rank: rank)
                    guard token != RecyclingMatrix.sentinel, token != spineToken else { continue }
                    nodes.append(ForestNode(parent: index, token: token, value: node.value * alphaRecycled(rank)))
                    next.append(nodes.count - 1)
                }
            }
            frontier = next
        }
        return nodes
    }

    /// The best Σ value over prefix-closed sets of at most `budget` forest nodes, by brute force.
    static func bruteForceBest(_ forest: [ForestNode], budget: Int) -> Double {
        var best = 0.0
        func search(chosen: Set<Int>, total: Double, start: Int) {
            best = max(best, total)
            guard chosen.count - 1 < budget else { return }  // the root is not a draft node
            for index in start ..< forest.count where !chosen.contains(index) && chosen.contains(forest[index].parent) {
                var next = chosen
                next.insert(index)
                search(chosen: next, total: total + forest[index].value, start: 0)
            }
        }
        search(chosen: [0], total: 0, start: 1)
        return best
    }

    @Test("best-first construction reaches the brute-force optimum on random small forests", arguments: 0 ..< 12)
    func optimality(seed: UInt64) {
        var random = SeededGenerator(seed: seed + 100)
        let vocabulary = 6
        let matrix = RecyclingMatrix(vocabularySize: vocabulary, k: 2)
        for token in 0 ..< vocabulary {
            var row = Array(0 ..< TokenID(vocabulary)).shuffled(using: &random).prefix(2)
            if random.next() % 4 == 0 { row[row.startIndex + 1] = RecyclingMatrix.sentinel }
            matrix.write(TokenID(token), topTokens: Array(row))
        }
        let alphaContext = Double(random.next() % 90 + 5) / 100
        let recycledAlphas = [Double(random.next() % 90 + 5) / 100, Double(random.next() % 50 + 1) / 100]
        let spine = (0 ..< 4).map { _ in TokenID(random.next() % UInt64(vocabulary)) }
        let budget = Int(random.next() % 5) + 2
        let drafter = GooseDrafter(matrix: matrix)
        drafter.estimates = AcceptanceEstimates(maxN: 3, k: 2, contextMean: { _, _ in alphaContext },
                                                recycledMean: { recycledAlphas[$0] })
        let root: TokenID = 0
        let tree = drafter.build(root: root, chains: [.init(length: 2, continuation: spine)], budget: budget)
        #expect(tree.satisfiesInvariants(budget: budget))
        let forest = Self.forest(matrix: matrix, root: root, spine: [root] + spine, alphaContext: alphaContext,
                                 alphaRecycled: { recycledAlphas[$0] }, budget: budget)
        let optimum = Self.bruteForceBest(forest, budget: budget)
        #expect(abs(Self.expectedAccepted(tree) - optimum) < 1e-9, "tree \(Self.expectedAccepted(tree)) vs \(optimum)")
    }

    @Test("a reliable spine gives an anisotropic tree: deep spine, shallow recycled branches")
    func anisotropy() {
        let vocabulary = 64
        let matrix = RecyclingMatrix(vocabularySize: vocabulary, k: 8)
        for token in 0 ..< vocabulary {
            matrix.write(TokenID(token), topTokens: (1 ... 8).map { TokenID((token * 7 + $0 * 5) % vocabulary) })
        }
        let drafter = GooseDrafter(matrix: matrix)
        drafter.estimates = AcceptanceEstimates(contextMean: { _, _ in 0.8 }, recycledMean: { 0.1 / Double($0 + 1) })
        let spine = (0 ..< 16).map { TokenID(($0 * 13 + 3) % vocabulary) }
        let tree = drafter.build(root: 1, chains: [.init(length: 3, continuation: spine)], budget: 16)
        #expect(tree.draftCount == 16)
        #expect(tree.depth >= 10)
        for node in tree.nodes where node.source != .root {
            if case .recycled = node.source { #expect(node.depth <= 3) }
        }
        // Equal acceptance for both sources: no deeper than the recycling-only tree plus one.
        drafter.estimates = AcceptanceEstimates(contextMean: { _, _ in 0.1 }, recycledMean: { 0.1 / Double($0 + 1) })
        let balanced = drafter.build(root: 1, chains: [.init(length: 3, continuation: spine)], budget: 16)
        let recyclingOnly = drafter.build(root: 1, chains: [], budget: 16)
        #expect(balanced.depth <= recyclingOnly.depth + 1)
    }

    @Test("the context index finds the longest, most recent match")
    func contextIndex() {
        var index = ContextIndex(maxN: 3)
        index.extend(to: [1, 2, 3, 4, 1, 2, 3, 5, 6, 2, 3])
        let matches = index.matches(maxLength: 2, altCount: 1)
        #expect(matches.first == .init(length: 2, continuation: [5, 6]))
        #expect(matches.count == 2 && matches[1].continuation == [4, 1])
        #expect(index.matches(maxLength: 2).count == 1)
    }
}
