import NextTokenCore

/// Where a draft node's token came from.
public enum DraftSource: Sendable, Hashable {
    /// The pending token the tree grows from.
    case root
    /// Token Recycling's adjacency matrix, at this rank of the parent's row.
    case recycled(rank: Int)
    /// A continuation copied from the context after an n-gram match of this length.
    case context(matchLength: Int)
    /// An n-gram count cache (llama.cpp lookup).
    case ngramCache
}

/// A tree of draft tokens verified in one forward pass (algorithms.md §0.2).
///
/// `nodes[0]` is the root (the pending token); every other node's parent comes before it, its depth
/// is its parent's plus one, and siblings carry distinct tokens.
public struct DraftTree: Sendable {
    /// One node of the tree.
    public struct Node: Sendable, Equatable {
        /// The token placed at this node.
        public var token: TokenID
        /// Index of the parent node, `-1` for the root.
        public var parent: Int
        /// Distance from the root.
        public var depth: Int
        /// Which drafter source proposed it.
        public var source: DraftSource
        /// Estimated probability that it is accepted given that its parent is.
        public var prior: Double
    }

    /// The nodes in topological (parent-first) order.
    public private(set) var nodes: [Node]
    private var childIndices: [[Int]]

    /// A tree holding only the root.
    public init(root: TokenID) {
        nodes = [Node(token: root, parent: -1, depth: 0, source: .root, prior: 1)]
        childIndices = [[]]
    }

    /// Draft nodes (the root excluded).
    public var draftCount: Int { nodes.count - 1 }

    /// The deepest node's depth.
    public var depth: Int { nodes.map(\.depth).max() ?? 0 }

    /// Adds `token` under `parent` and returns its index, or `nil` if a sibling already has it.
    @discardableResult
    public mutating func add(token: TokenID, parent: Int, source: DraftSource, prior: Double = 1) -> Int? {
        precondition(parent >= 0 && parent < nodes.count, "parent must already be in the tree")
        guard child(of: parent, token: token) == nil else { return nil }
        nodes.append(Node(token: token, parent: parent, depth: nodes[parent].depth + 1, source: source, prior: prior))
        childIndices.append([])
        childIndices[parent].append(nodes.count - 1)
        return nodes.count - 1
    }

    /// The children of `node`, in insertion order.
    public func children(of node: Int) -> [Int] { childIndices[node] }

    /// The child of `node` carrying `token`, if any.
    public func child(of node: Int, token: TokenID) -> Int? {
        childIndices[node].first { nodes[$0].token == token }
    }

    /// `node` and its ancestors, in increasing index order (the rows it attends to).
    public func pathIndices(to node: Int) -> [Int] {
        var path: [Int] = []
        var current = node
        while current >= 0 {
            path.append(current)
            current = nodes[current].parent
        }
        return path.reversed()
    }

    /// The tokens of every node, in tree order.
    public var tokens: [TokenID] { nodes.map(\.token) }

    /// Checks the invariants of §0.2 (for tests and debug builds).
    public func satisfiesInvariants(budget: Int? = nil) -> Bool {
        guard let root = nodes.first, root.parent == -1, root.depth == 0 else { return false }
        for (index, node) in nodes.enumerated().dropFirst() {
            guard node.parent >= 0, node.parent < index, node.depth == nodes[node.parent].depth + 1 else { return false }
        }
        for siblings in childIndices {
            let tokens = siblings.map { nodes[$0].token }
            guard Set(tokens).count == tokens.count else { return false }
        }
        return budget.map { draftCount <= $0 } ?? true
    }
}
