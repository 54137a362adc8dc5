import NextTokenCore

/// What a verification step revealed, handed back to the drafter that proposed the tree.
public struct VerificationOutcome: Sendable {
    /// The verified tree.
    public var tree: DraftTree
    /// For every tree row, the `k` tokens with the largest raw logits, best first (ties: lower id).
    public var rowTopTokens: [[TokenID]]
    /// The visited nodes, root first (`a_0 = 0, a_1 … a_m`); all but the last were matched.
    public var visitedNodes: [Int]
    /// Every committed token after the step, the new pending token last.
    public var history: [TokenID]

    /// A step's outcome.
    public init(tree: DraftTree, rowTopTokens: [[TokenID]], visitedNodes: [Int], history: [TokenID]) {
        self.tree = tree
        self.rowTopTokens = rowTopTokens
        self.visitedNodes = visitedNodes
        self.history = history
    }
}

/// A training-free source of draft trees for lossless speculative decoding.
///
/// Drafters only propose; the engine verifies every node against the model, so a drafter can
/// never change the output, only the speed.
public protocol Drafter: AnyObject {
    /// A short name (`lookup`, `recycling`, …).
    var name: String { get }
    /// Called once with the prompt before the first step.
    func start(prompt: [TokenID])
    /// A tree rooted at `history.last` (the pending token) with at most `budget` draft nodes.
    func draft(history: [TokenID], budget: Int) -> DraftTree
    /// Learns from a verified step.
    func observe(_ outcome: VerificationOutcome)
    /// Called once when the request ends (persist caches, merge counts).
    func finish(history: [TokenID])
    /// Whether ``observe(_:)`` reads ``VerificationOutcome/rowTopTokens`` (computing them costs a
    /// pass over every row's logits).
    var wantsRowCandidates: Bool { get }
}

extension Drafter {
    public func start(prompt: [TokenID]) {}
    public func observe(_ outcome: VerificationOutcome) {}
    public func finish(history: [TokenID]) {}
    public var wantsRowCandidates: Bool { false }
}
