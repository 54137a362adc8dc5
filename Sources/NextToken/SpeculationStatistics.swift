import NextTokenSpeculation

/// What speculative decoding did in one request (algorithms.md §0.8).
public struct SpeculationStatistics: Sendable, Codable, Equatable {
    /// The drafter's name.
    public var method = ""
    /// Verification forward passes.
    public var steps = 0
    /// Verification passes that carried at least one draft node (the others are steps where the
    /// drafter had nothing to propose or the draft gate judged no draft worth its cost).
    public var draftingSteps = 0
    /// Tokens emitted by the drafting steps.
    public var draftingEmitted = 0
    /// Draft nodes verified.
    public var drafted = 0
    /// Draft nodes accepted (emitted tokens minus one per step).
    public var accepted = 0
    /// Tokens emitted by speculative steps.
    public var emitted = 0
    /// Per depth d ≥ 1: how often the walk tested a node of depth d (its parent was visited and
    /// had children) and how often it matched.
    public var testedByDepth: [Int] = []
    /// Matches per depth, aligned with `testedByDepth`.
    public var acceptedByDepth: [Int] = []
    /// Drafted nodes per source (`context`, `recycled`, `ngram-cache`).
    public var draftedBySource: [String: Int] = [:]
    /// Accepted nodes per source.
    public var acceptedBySource: [String: Int] = [:]
    /// Time spent building drafts, in seconds.
    public var draftSeconds = 0.0
    /// Time spent in speculative steps, in seconds.
    public var stepSeconds = 0.0
    /// The depth limit the draft gate set on the last step that verified a draft (0 when none
    /// did or the gate was off).
    public var finalDepthLimit = 0

    /// Mean tokens committed per verification step (τ).
    public var meanAcceptedTokens: Double { steps > 0 ? Double(emitted) / Double(steps) : 0 }

    /// τ over the drafting steps only: what the drafts achieve when they are used.
    public var meanAcceptedTokensWhenDrafting: Double {
        draftingSteps > 0 ? Double(draftingEmitted) / Double(draftingSteps) : 0
    }

    /// Acceptance rate α_d per depth.
    public var acceptanceByDepth: [Double] {
        zip(acceptedByDepth, testedByDepth).map { $1 > 0 ? Double($0) / Double($1) : 0 }
    }

    mutating func record(tree: DraftTree, visited: [Int], emitted: Int, draftTime: Duration, stepTime: Duration) {
        steps += 1
        drafted += tree.draftCount
        accepted += visited.count - 1
        self.emitted += emitted
        if tree.draftCount > 0 {
            draftingSteps += 1
            draftingEmitted += emitted
        }
        draftSeconds += draftTime.seconds
        stepSeconds += stepTime.seconds
        for node in tree.nodes.dropFirst() { draftedBySource[Self.name(node.source), default: 0] += 1 }
        for node in visited.dropFirst() { acceptedBySource[Self.name(tree.nodes[node].source), default: 0] += 1 }
        for (position, node) in visited.enumerated() where !tree.children(of: node).isEmpty {
            let depth = tree.nodes[node].depth + 1
            while testedByDepth.count < depth {
                testedByDepth.append(0)
                acceptedByDepth.append(0)
            }
            testedByDepth[depth - 1] += 1
            if position + 1 < visited.count { acceptedByDepth[depth - 1] += 1 }
        }
    }

    static func name(_ source: DraftSource) -> String {
        switch source {
        case .root: "root"
        case .recycled: "recycled"
        case .context: "context"
        case .ngramCache: "ngram-cache"
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
