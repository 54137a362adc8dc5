import NextTokenCore

/// The verification walk over a draft tree (algorithms.md §0.5, §4.2): sample-and-match.
///
/// At each visited node the caller's `choose` draws the token plain decoding would emit there
/// (argmax for greedy, one seeded uniform for sampling); the walk descends while a child carries
/// that token. Drafts only decide how many of those draws come from one forward pass, so the
/// emitted sequence has exactly the law of plain decoding.
public enum TreeWalk {
    /// Walks `tree` from the root and returns the visited nodes, root first.
    ///
    /// - Parameters:
    ///   - choose: the token emitted at a node (given its index).
    ///   - emit: takes each emitted token; returns `false` to end the walk (EOS, length, stop).
    public static func run<E: Error>(
        _ tree: DraftTree, choose: (Int) throws(E) -> TokenID, emit: (TokenID) throws(E) -> Bool
    ) throws(E) -> [Int] {
        var node = 0
        var visited = [0]
        while true {
            let token = try choose(node)
            guard try emit(token), let child = tree.child(of: node, token: token) else { return visited }
            node = child
            visited.append(child)
        }
    }
}
