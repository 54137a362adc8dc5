import Foundation
import NextTokenCore
import NextTokenSampling
import NextTokenSpeculation
import NextTokenTestSupport
import Testing

/// algorithms.md §4.6 levels 1–2: the verification walk emits exactly the law of plain sampling,
/// whatever the drafts, and a lossy verifier is caught.
@Suite("Lossless verification under sampling")
struct LosslessVerificationTests {
    static let vocabulary = 5
    static let emittedCount = 3

    /// A toy LM: p(next | last two tokens), fixed random conditionals.
    struct ToyModel {
        let table: [[Double]]

        init(seed: UInt64) {
            var random = SeededGenerator(seed: seed)
            table = (0 ..< vocabulary * vocabulary).map { _ in
                let weights = (0 ..< vocabulary).map { _ in Double(random.next() % 1000 + 1) }
                let total = weights.reduce(0, +)
                return weights.map { $0 / total }
            }
        }

        func distribution(after history: [TokenID]) -> [Double] {
            let a = Int(history[history.count - 2]), b = Int(history[history.count - 1])
            return table[a * vocabulary + b]
        }
    }

    /// Adversarial deterministic drafts: two children per node, depth 3, from another table.
    static func draftTree(history: [TokenID], drafts: ToyModel) -> DraftTree {
        var tree = DraftTree(root: history[history.count - 1])
        var frontier = [(node: 0, path: history)]
        for _ in 0 ..< 3 {
            var next: [(node: Int, path: [TokenID])] = []
            for (node, path) in frontier {
                let p = drafts.distribution(after: path)
                let ranked = p.indices.sorted { p[$0] > p[$1] }.prefix(2)
                for token in ranked {
                    if let child = tree.add(token: TokenID(token), parent: node, source: .recycled(rank: 0)) {
                        next.append((child, path + [TokenID(token)]))
                    }
                }
            }
            frontier = next
        }
        return tree
    }

    /// Runs speculative steps until `emittedCount` tokens are out; `choose` draws at a node given
    /// the node's full path history and the tree.
    static func generate(
        model: ToyModel, drafts: ToyModel, prompt: [TokenID],
        choose: (_ history: [TokenID], _ tree: DraftTree, _ node: Int) -> TokenID
    ) -> [TokenID] {
        var history = prompt
        var emitted: [TokenID] = []
        while emitted.count < emittedCount {
            let tree = draftTree(history: history, drafts: drafts)
            let base = history
            _ = TreeWalk.run(tree, choose: { node in
                choose(base + tree.pathIndices(to: node).dropFirst().map { tree.nodes[$0].token }, tree, node)
            }, emit: { token in
                emitted.append(token)
                history.append(token)
                return emitted.count < emittedCount
            })
        }
        return emitted
    }

    static func autoregressiveLaw(model: ToyModel, prompt: [TokenID]) -> [Double] {
        var law = [Double](repeating: 0, count: Int(pow(Double(vocabulary), Double(emittedCount))))
        for cell in law.indices {
            var history = prompt
            var probability = 1.0
            var rest = cell
            for _ in 0 ..< emittedCount {
                let token = rest % vocabulary
                rest /= vocabulary
                probability *= model.distribution(after: history)[token]
                history.append(TokenID(token))
            }
            law[cell] = probability
        }
        return law
    }

    static func cell(_ tokens: [TokenID]) -> Int {
        tokens.reversed().reduce(0) { $0 * vocabulary + Int($1) }
    }

    @Test("exact enumeration: the walk's law of the first 3 tokens equals the autoregressive law", arguments: [1, 2, 3] as [UInt64])
    func exactEnumeration(seed: UInt64) {
        let model = ToyModel(seed: seed)
        let drafts = ToyModel(seed: seed + 1000)
        let prompt: [TokenID] = [1, 3]
        let law = Self.autoregressiveLaw(model: model, prompt: prompt)
        var walkLaw = [Double](repeating: 0, count: law.count)
        for cell in law.indices {
            // Force the emitted sequence; multiply the probability the walk's node assigns to it.
            let forced = (0 ..< Self.emittedCount).map { TokenID(cell / Int(pow(Double(Self.vocabulary), Double($0))) % Self.vocabulary) }
            var probability = 1.0
            var index = 0
            let emitted = Self.generate(model: model, drafts: drafts, prompt: prompt) { history, _, _ in
                let token = forced[index]
                probability *= model.distribution(after: history)[Int(token)]
                index += 1
                return token
            }
            #expect(emitted == forced)
            walkLaw[Self.cell(emitted)] += probability
        }
        for (a, b) in zip(law, walkLaw) { #expect(abs(a - b) < 1e-12) }
    }

    /// Merges cells expected below 5 into one tail cell, then returns the χ² p-value.
    static func pValue(counts: [Int], law: [Double], draws: Int) -> Double {
        var observed: [Int] = []
        var expected: [Double] = []
        var tailCount = 0
        var tailProbability = 0.0
        for (count, probability) in zip(counts, law) {
            if probability * Double(draws) < 5 {
                tailCount += count
                tailProbability += probability
            } else {
                observed.append(count)
                expected.append(probability)
            }
        }
        if tailProbability > 0 {
            observed.append(tailCount)
            expected.append(tailProbability)
        }
        let (statistic, degrees) = ChiSquare.statistic(observed: observed, expected: expected)
        return ChiSquare.survival(statistic, degreesOfFreedom: degrees)
    }

    /// The real sampling path: one seeded uniform per emitted token, inverse CDF by token id.
    static func sampledCounts(lossy: Bool, draws: Int) throws -> (counts: [Int], law: [Double]) {
        let model = ToyModel(seed: 7)
        let drafts = ToyModel(seed: 8)
        let prompt: [TokenID] = [0, 4]
        var counts = [Int](repeating: 0, count: Int(pow(Double(vocabulary), Double(emittedCount))))
        var random = SeededRandom(seed: 2026)
        let ids = (0 ..< vocabulary).map { TokenID($0) }
        for _ in 0 ..< draws {
            let emitted = generate(model: model, drafts: drafts, prompt: prompt) { history, tree, node in
                let p = model.distribution(after: history)
                // The Medusa-style shortcut: accept the first child whenever it is likely enough.
                if lossy, let first = tree.children(of: node).first, p[Int(tree.nodes[first].token)] >= 0.2 {
                    return tree.nodes[first].token
                }
                guard let distribution = try? ProcessedDistribution(tokenIDs: ids, weights: p) else { return 0 }
                return distribution.tokenIDs[Sampler.drawIndex(distribution: distribution, uniform: random.nextUniform())]
            }
            counts[cell(emitted)] += 1
        }
        return (counts, autoregressiveLaw(model: model, prompt: prompt))
    }

    @Test("Monte Carlo: 20,000 sampled walks fit the exact law (χ², p ≥ 1e-3)")
    func monteCarlo() throws {
        let (counts, law) = try Self.sampledCounts(lossy: false, draws: 20_000)
        let p = Self.pValue(counts: counts, law: law, draws: 20_000)
        #expect(p >= 1e-3, "p = \(p)")
    }

    @Test("power: a lossy verifier is rejected (χ², p < 1e-6)")
    func power() throws {
        let (counts, law) = try Self.sampledCounts(lossy: true, draws: 20_000)
        let p = Self.pValue(counts: counts, law: law, draws: 20_000)
        #expect(p < 1e-6, "p = \(p)")
    }
}
