import NextTokenCore
import NextTokenSpeculation
import Testing

@Suite("Draft trees, templates and the recycling matrix")
struct DraftStructureTests {
    @Test("trees keep the §0.2 invariants and refuse duplicate siblings")
    func treeInvariants() {
        var tree = DraftTree(root: 7)
        let a = tree.add(token: 1, parent: 0, source: .recycled(rank: 0))
        #expect(a == 1)
        #expect(tree.add(token: 1, parent: 0, source: .recycled(rank: 1)) == nil)
        let b = tree.add(token: 2, parent: 0, source: .recycled(rank: 1))
        let c = tree.add(token: 1, parent: 2, source: .context(matchLength: 2))
        #expect(c == 3 && b == 2)
        #expect(tree.nodes[3].depth == 2)
        #expect(tree.pathIndices(to: 3) == [0, 2, 3])
        #expect(tree.child(of: 2, token: 1) == 3)
        #expect(tree.satisfiesInvariants(budget: 3))
        #expect(!tree.satisfiesInvariants(budget: 2))
    }

    @Test("template 2.2.2 has 80 nodes, depth 6, 40 leaves, levels 8/21/25/15/8/3, prefix-closed, contiguous ranks")
    func paperTemplate() {
        let template = TreeTemplate.paper222
        #expect(template.nodeCount == 80)
        #expect(template.depth == 6)
        #expect(template.leafCount == 40)
        #expect((1 ... 6).map { d in template.paths.filter { $0.count == d }.count } == [8, 21, 25, 15, 8, 3])
        let set = Set(template.paths)
        for path in template.paths {
            if path.count > 1 { #expect(set.contains(Array(path.dropLast())), "\(path) has no parent") }
            if let rank = path.last, rank > 0 { #expect(set.contains(Array(path.dropLast()) + [rank - 1]), "\(path)") }
        }
        #expect(zip(template.paths, template.paths.dropFirst()).allSatisfy { $0.count <= $1.count })
        #expect(TreeTemplate.cpu8.nodeCount == 8)
        #expect(TreeTemplate.cpu16.nodeCount == 16)
    }

    @Test("the matrix update writes every row in tree order, then the visited path again")
    func matrixUpdate() {
        let matrix = RecyclingMatrix(vocabularySize: 10, k: 2)
        #expect(matrix.byteCount == 10 * 2 * 4)
        #expect(matrix.candidate(after: 3, rank: 0) == RecyclingMatrix.sentinel)
        var tree = DraftTree(root: 3)
        tree.add(token: 4, parent: 0, source: .recycled(rank: 0))   // 1
        tree.add(token: 5, parent: 0, source: .recycled(rank: 1))   // 2
        tree.add(token: 3, parent: 2, source: .recycled(rank: 0))   // 3: token 3 again, off the path
        let outcome = VerificationOutcome(
            tree: tree, rowTopTokens: [[5, 4], [1, 2], [3, 9], [8, 7]], visitedNodes: [0, 2], history: [3, 5, 3])
        matrix.update(with: outcome)
        #expect(Array(matrix.row(3)) == [5, 4])   // the visited root's row wins over node 3's
        #expect(Array(matrix.row(4)) == [1, 2])
        #expect(Array(matrix.row(5)) == [3, 9])
    }

    @Test("Token Recycling fills its template breadth-first, skipping sentinels and duplicate siblings")
    func recyclingFill() {
        let matrix = RecyclingMatrix(vocabularySize: 10, k: 4)
        matrix.write(1, topTokens: [2, 3, 2, RecyclingMatrix.sentinel])
        matrix.write(2, topTokens: [4, 5])
        let drafter = TokenRecyclingDrafter(matrix: matrix, template: TreeTemplate(childCounts: [[]: 4, [0]: 2, [1]: 1]))
        let tree = drafter.draft(history: [9, 1], budget: 16)
        #expect(tree.tokens == [1, 2, 3, 4, 5])
        #expect(tree.nodes.map(\.parent) == [-1, 0, 0, 1, 1])
        #expect(tree.satisfiesInvariants(budget: 16))
        #expect(drafter.draft(history: [1], budget: 2).draftCount <= 2)
    }
}
