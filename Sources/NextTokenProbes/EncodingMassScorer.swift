#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NextTokenCore
import NextTokenKernels
import NextTokenModel

/// Measures the model's probability mass on non-canonical encodings of each word of a text, in
/// context (§7.1's phenomenon, measured the way §6 sums over encodings).
///
/// Per word, a best-first search over its segmentation graph: a partial encoding's probability
/// bounds every completion of it, so partial encodings are expanded most probable first, in tree
/// batches of one forward pass each, until none is above `relativeThreshold` × P(canonical) or
/// the node budget is spent. What is left bounds the mass not found
/// (``EncodingMass/unexploredBound``).
public final class EncodingMassScorer {
    /// Search limits.
    public struct Options: Sendable, Equatable {
        /// Partial encodings below this fraction of the canonical encoding's probability are not
        /// expanded.
        public var relativeThreshold = 1e-6
        /// Most partial encodings evaluated per word.
        public var maxEvaluatedNodes = 64
        /// Most partial encodings evaluated in one forward pass.
        public var batchRows = 16
        /// Non-canonical encodings kept per word in ``EncodingMass/topAlternatives``.
        public var keptAlternatives = 5

        /// The defaults.
        public init() {}
    }

    let model: any LanguageModel
    let probe: TokenizationProbe
    let pool: WorkerPool
    let options: Options

    /// A scorer running `model` (whose vocabulary `probe`'s tokenizer must describe) on `pool`.
    public init(model: any LanguageModel, probe: TokenizationProbe, pool: WorkerPool, options: Options = Options()) {
        self.model = model
        self.probe = probe
        self.pool = pool
        self.options = options
    }

    /// Scores every word of `text` (its canonical encoding, split into ``TextUnit``s) after the
    /// tokens `context` (BOS, a prompt). Words before any context are not scored: with an empty
    /// context the first word only becomes context.
    ///
    /// - Throws: ``ModelError`` from the forward passes (a context too long for the model).
    public func score(text: String, context: [TokenID]) throws(ModelError) -> [EncodingMass] {
        let tokenizer = probe.tokenizer
        let ids = tokenizer.encode(text, parseSpecial: false)
        guard !ids.isEmpty, let bytes = try? tokenizer.decode(ids) else { return [] }
        let atStart = context.allSatisfy { tokenizer.isControl($0) }
        let units = TextUnit.split(ids, bytes: bytes, tokenizer: tokenizer, atSequenceStart: atStart)
        let longestUnit = units.map(\.byteRange.count).max() ?? 0
        let capacity = context.count + ids.count + options.batchRows * (longestUnit + 1) + 1
        let modelContext = model.makeContext(capacity: capacity, pool: pool)
        var rootRow: [Float]?
        if !context.isEmpty {
            rootRow = try model.logits(ForwardBatch(tokens: context, startingAt: 0), context: modelContext,
                                       logitRows: [context.count - 1])
        }
        var results: [EncodingMass] = []
        for unit in units {
            let canonical = Array(ids[unit.tokenRange])
            guard !canonical.isEmpty else { continue }
            let start = modelContext.cache.length
            let rows = try model.logits(ForwardBatch(tokens: canonical, startingAt: start), context: modelContext,
                                        logitRows: Array(canonical.indices))
            let lastRow = (canonical.count - 1) * model.vocabularySize
            let nextRoot = Array(rows[lastRow ..< lastRow + model.vocabularySize])
            defer { rootRow = nextRoot }
            guard let root = rootRow else { continue }
            modelContext.cache.truncate(to: start)
            var search = UnitSearch(
                scorer: self, bytes: Array(bytes[unit.byteRange]), canonical: canonical,
                atSequenceStart: atStart && unit.byteRange.lowerBound == 0, context: modelContext)
            var mass = try search.run(root: root, canonicalRows: rows)
            mass.byteRange = unit.byteRange
            results.append(mass)
            try commit(canonical, context: modelContext)
        }
        return results
    }
}

extension EncodingMassScorer {
    /// Appends `tokens` to the context's cache without computing logits.
    fileprivate func commit(_ tokens: [TokenID], context: ModelContext) throws(ModelError) {
        var unused: Float = 0
        try model.forward(ForwardBatch(tokens: tokens, startingAt: context.cache.length), context: context,
                          logitRows: [], logits: &unused)
    }
}

/// The best-first search over one word's encodings (see ``EncodingMassScorer``).
private struct UnitSearch {
    struct Node {
        let parent: Int
        let token: TokenID
        let depth: Int
        let end: Int
        let logP: Double
        let onCanonicalPath: Bool
    }

    let scorer: EncodingMassScorer
    let bytes: [UInt8]
    let canonical: [TokenID]
    let atSequenceStart: Bool
    let context: ModelContext
    let graph: SegmentationGraph
    var nodes: [Node] = []
    var frontier: [Int] = []
    var alternatives: [ScoredEncoding] = []

    init(scorer: EncodingMassScorer, bytes: [UInt8], canonical: [TokenID], atSequenceStart: Bool, context: ModelContext) {
        self.scorer = scorer
        self.bytes = bytes
        self.canonical = canonical
        self.atSequenceStart = atSequenceStart
        self.context = context
        graph = SegmentationGraph(bytes: bytes, spellings: scorer.probe.enumerator.spellings,
                                  atSequenceStart: atSequenceStart)
    }

    /// `root`: logits after the context; `canonicalRows`: logits after each canonical prefix.
    mutating func run(root: [Float], canonicalRows: [Float]) throws(ModelError) -> EncodingMass {
        let v = scorer.model.vocabularySize
        var canonicalLogP = 0.0
        for (depth, token) in canonical.enumerated() {
            let row = depth == 0 ? root[...] : canonicalRows[(depth - 1) * v ..< depth * v]
            canonicalLogP += row.withUnsafeBufferPointer { LogitRowStatistics($0).logProbability(of: Int(token), in: $0) }
        }
        nodes = [Node(parent: -1, token: -1, depth: 0, end: graph.root, logP: 0, onCanonicalPath: true)]
        root.withUnsafeBufferPointer { expand(0, row: $0) }
        let threshold = canonicalLogP + log(scorer.options.relativeThreshold)
        var evaluated = 0
        while true {
            while let slot = frontier.firstIndex(where: { nodes[$0].onCanonicalPath }) {
                let index = frontier.remove(at: slot)
                let depth = nodes[index].depth
                canonicalRows[(depth - 1) * v ..< depth * v].withUnsafeBufferPointer { expand(index, row: $0) }
            }
            let budget = min(scorer.options.batchRows, scorer.options.maxEvaluatedNodes - evaluated)
            let selected = frontier.filter { nodes[$0].logP >= threshold }
                .sorted { nodes[$0].logP > nodes[$1].logP || (nodes[$0].logP == nodes[$1].logP && $0 < $1) }
                .prefix(max(0, budget))
            guard !selected.isEmpty else { break }
            frontier.removeAll { selected.contains($0) }
            try evaluate(Array(selected))
            evaluated += selected.count
        }
        let classifier = scorer.probe.classifier
        var classMass: [ArtifactClass: Double] = [:]
        var total = 0.0
        for index in alternatives.indices {
            let classes = classifier.classes(reference: canonical, other: alternatives[index].tokens,
                                             atSequenceStart: atSequenceStart) ?? []
            alternatives[index].classes = classes
            let p = exp(alternatives[index].logProbability)
            total += p
            for artifact in classes { classMass[artifact, default: 0] += p }
        }
        let top = alternatives.sorted { $0.logProbability > $1.logProbability }.prefix(scorer.options.keptAlternatives)
        return EncodingMass(
            text: String(decoding: bytes, as: UTF8.self), byteRange: 0 ..< bytes.count, canonical: canonical,
            canonicalLogProbability: canonicalLogP, alternativeMass: total,
            unexploredBound: frontier.reduce(0.0) { $0 + exp(nodes[$1].logP) },
            alternativesFound: alternatives.count, evaluatedNodes: evaluated, classMass: classMass,
            topAlternatives: Array(top))
    }

    /// Runs `selected` (with their ancestors) as one tree batch after the context, then expands
    /// each with its logits; the cache is left as it was.
    private mutating func evaluate(_ selected: [Int]) throws(ModelError) {
        var members: Set<Int> = []
        for node in selected {
            var current = node
            while current > 0, members.insert(current).inserted { current = nodes[current].parent }
        }
        let ordered = members.sorted { (nodes[$0].depth, $0) < (nodes[$1].depth, $1) }
        var rowOf: [Int: Int] = [:]
        for (row, node) in ordered.enumerated() { rowOf[node] = row }
        let start = context.cache.length
        let visible: [[Int]] = ordered.map { node in
            var rows: [Int] = []
            var current = node
            while current > 0, let row = rowOf[current] {
                rows.append(row)
                current = nodes[current].parent
            }
            return rows.sorted()
        }
        let batch = ForwardBatch(tokens: ordered.map { nodes[$0].token },
                                 positions: ordered.map { start + nodes[$0].depth - 1 }, mask: .rows(visible))
        let logits = try scorer.model.logits(batch, context: context, logitRows: selected.compactMap { rowOf[$0] })
        context.cache.truncate(to: start)
        let v = scorer.model.vocabularySize
        for (slot, node) in selected.enumerated() {
            logits[slot * v ..< (slot + 1) * v].withUnsafeBufferPointer { expand(node, row: $0) }
        }
    }

    /// Adds the children of node `index`, whose next-token logits are `row`: completed
    /// encodings to ``alternatives``, partial ones that can still be completed to the frontier.
    private mutating func expand(_ index: Int, row: UnsafeBufferPointer<Float>) {
        let node = nodes[index]
        let statistics = LogitRowStatistics(row)
        for edge in graph.edges[node.end] {
            let logP = node.logP + statistics.logProbability(of: Int(edge.token), in: row)
            let onCanonical = node.onCanonicalPath && node.depth < canonical.count && canonical[node.depth] == edge.token
            if edge.end == graph.end {
                if onCanonical, node.depth + 1 == canonical.count { continue }
                alternatives.append(ScoredEncoding(tokens: path(to: index) + [edge.token], logProbability: logP, classes: []))
            } else if graph.tokenRange[edge.end] != nil {
                nodes.append(Node(parent: index, token: edge.token, depth: node.depth + 1, end: edge.end, logP: logP,
                                  onCanonicalPath: onCanonical))
                frontier.append(nodes.count - 1)
            }
        }
    }

    private func path(to index: Int) -> [TokenID] {
        var tokens: [TokenID] = []
        var current = index
        while current > 0 {
            tokens.append(nodes[current].token)
            current = nodes[current].parent
        }
        return tokens.reversed()
    }
}
