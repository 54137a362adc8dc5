import NextTokenCore

/// Token Recycling (algorithms.md §1): draft trees filled breadth-first from the adjacency
/// matrix along a static template; the matrix learns from every verified row.
public final class TokenRecyclingDrafter: Drafter {
    /// The shared adjacency matrix.
    public let matrix: RecyclingMatrix
    /// The tree shape; templates larger than the step's budget are replaced by a fitting one.
    public var template: TreeTemplate

    public var name: String { "recycling" }

    /// A drafter on `matrix` with `template`.
    public init(matrix: RecyclingMatrix, template: TreeTemplate = .cpu16) {
        self.matrix = matrix
        self.template = template
    }

    public func draft(history: [TokenID], budget: Int) -> DraftTree {
        let shape = template.nodeCount <= budget ? template : TreeTemplate.fitting(budget: budget)
        var tree = DraftTree(root: history.last ?? 0)
        var nodeForPath: [[Int]: Int] = [[]: 0]
        for path in shape.paths where tree.draftCount < budget {
            guard let parent = nodeForPath[Array(path.dropLast())], let rank = path.last else { continue }
            let token = matrix.candidate(after: tree.nodes[parent].token, rank: rank)
            guard token != RecyclingMatrix.sentinel,
                  let index = tree.add(token: token, parent: parent, source: .recycled(rank: rank)) else { continue }
            nodeForPath[path] = index
        }
        return tree
    }

    public var wantsRowCandidates: Bool { true }

    public func observe(_ outcome: VerificationOutcome) {
        matrix.update(with: outcome)
    }
}
