import NextTokenCore
import NextTokenTokenizer

/// Finds every token sequence that decodes to given bytes: the canonical encoding (the
/// tokenizer's) and the non-canonical ones a model can still emit (§7.2).
///
/// Works on a segmentation graph: node `i` is byte offset `i`, and each token spelling
/// `bytes[i ..< j]` is an edge `i → j`; encodings are the paths from 0 to the end. Counting is a
/// dynamic program over that graph, enumeration a depth-first search over it.
public struct EncodingEnumerator: Sendable {
    let spellings: TokenSpellings

    /// An enumerator over the tokens `tokenizer` can produce from text; `includeControlTokens`
    /// also lets control tokens spell their literal text.
    public init(tokenizer: Tokenizer, includeControlTokens: Bool = false) {
        spellings = TokenSpellings(tokenizer: tokenizer, includeControlTokens: includeControlTokens)
    }

    /// The tokenizer whose tokens are enumerated.
    public var tokenizer: Tokenizer { spellings.tokenizer }

    /// The number of token sequences that decode to `bytes` (saturating at `UInt64.max`).
    ///
    /// `atSequenceStart`: the sequence starts the text, so a vocabulary with a dummy prefix drops
    /// the leading space of its first piece when decoding.
    public func count(of bytes: [UInt8], atSequenceStart: Bool = false) -> UInt64 {
        SegmentationGraph(bytes: bytes, spellings: spellings, atSequenceStart: atSequenceStart).pathCount
    }

    /// Token sequences that decode to `bytes`, at most `limit` of them: fewest tokens first, and
    /// among equally long ones, longer first tokens first (then lower ids). All of them when
    /// ``count(of:atSequenceStart:)`` is at most `limit`.
    public func encodings(of bytes: [UInt8], atSequenceStart: Bool = false, limit: Int) -> [[TokenID]] {
        SegmentationGraph(bytes: bytes, spellings: spellings, atSequenceStart: atSequenceStart)
            .paths(limit: limit)
    }

    /// Whether `ids` is the tokenizer's own encoding of its text: `encode(decode(ids)) == ids`.
    /// Ids outside the vocabulary are never canonical.
    public func isCanonical(_ ids: [TokenID]) -> Bool {
        guard let bytes = try? tokenizer.decode(ids) else { return false }
        return tokenizer.encode(String(decoding: bytes, as: UTF8.self), parseSpecial: false) == ids
    }
}

/// The segmentation graph of one byte string (see ``EncodingEnumerator``).
///
/// Node `i ≤ n` is byte offset `i` inside a sequence. When the string starts a sequence of a
/// vocabulary with a dummy prefix, node `n + 1` is offset 0 at the sequence start, where a piece
/// `" x"` spells `x` and a lone space piece spells nothing (an edge to node 0).
struct SegmentationGraph {
    /// `edges[node]`: the `(end, token)` pairs leaving the node, longest first.
    let edges: [[(end: Int, token: TokenID)]]
    /// Paths from each node to the end (saturating).
    let pathCounts: [UInt64]
    /// Fewest and most tokens on a path from each node to the end; `nil` when there is none.
    let tokenRange: [ClosedRange<Int>?]
    /// The node paths start from.
    let root: Int
    /// The end node: byte offset `n`.
    let end: Int

    init(bytes: [UInt8], spellings: TokenSpellings, atSequenceStart: Bool) {
        let n = bytes.count
        var edges = (0 ..< n).map { spellings.matches(in: bytes, at: $0, atSequenceStart: false) }
        edges.append([])
        let hasStartNode = atSequenceStart && spellings.stripsDummyPrefix
        if hasStartNode {
            edges.append(spellings.matches(in: bytes, at: 0, atSequenceStart: true)
                + spellings.emptyAtSequenceStart.map { (0, $0) })
        }
        var counts = [UInt64](repeating: 0, count: edges.count)
        var ranges = [ClosedRange<Int>?](repeating: nil, count: edges.count)
        counts[n] = 1
        ranges[n] = 0 ... 0
        // Edges only go to larger offsets, or from the start node to any offset: this order
        // visits every target before its sources.
        for node in Array(stride(from: n - 1, through: 0, by: -1)) + (hasStartNode ? [n + 1] : []) {
            var total: UInt64 = 0
            var range: ClosedRange<Int>?
            for edge in edges[node] {
                let (sum, overflow) = total.addingReportingOverflow(counts[edge.end])
                total = overflow ? .max : sum
                guard let rest = ranges[edge.end] else { continue }
                let here = rest.lowerBound + 1 ... rest.upperBound + 1
                range = range.map { min($0.lowerBound, here.lowerBound) ... max($0.upperBound, here.upperBound) } ?? here
            }
            counts[node] = total
            ranges[node] = range
        }
        self.edges = edges
        pathCounts = counts
        tokenRange = ranges
        root = hasStartNode ? n + 1 : 0
        end = n
    }

    /// The number of encodings of the whole string (an empty string has one: no tokens).
    var pathCount: UInt64 { pathCounts[root] }

    /// Up to `limit` paths, by token count, then depth-first with longer tokens first.
    func paths(limit: Int) -> [[TokenID]] {
        var found: [[TokenID]] = []
        guard limit > 0, let range = tokenRange[root] else { return found }
        var path: [TokenID] = []
        func visit(_ node: Int, remaining: Int) {
            if remaining == 0 {
                if node == end { found.append(path) }
                return
            }
            for edge in edges[node] where found.count < limit {
                guard let rest = tokenRange[edge.end], rest.contains(remaining - 1) else { continue }
                path.append(edge.token)
                visit(edge.end, remaining: remaining - 1)
                path.removeLast()
            }
        }
        for tokens in range where found.count < limit {
            visit(root, remaining: tokens)
        }
        return found
    }
}
