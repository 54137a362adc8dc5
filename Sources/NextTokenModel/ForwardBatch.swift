import NextTokenCore

/// The rows of one forward pass: tokens, their positions, and which rows each row may attend to.
///
/// Every row attends to the whole cached prefix (`0 ..< cache.length`) and to the batch rows its
/// ``AttentionMask`` allows. Row `i` is written to cache slot `cache.length + i`.
public struct ForwardBatch: Sendable {
    /// Which batch rows a row sees besides the cached prefix.
    public enum AttentionMask: Sendable, Equatable {
        /// Row `i` sees rows `0 ... i` (plain prefill or decoding).
        case causal
        /// Row `i` sees exactly the rows listed for it, in increasing order, itself included
        /// (a draft tree: the node and its ancestors).
        case rows([[Int]])
    }

    /// The token of each row.
    public var tokens: [TokenID]
    /// The RoPE position of each row.
    public var positions: [Int]
    /// The batch rows each row attends to.
    public var mask: AttentionMask

    /// A batch; positions default to consecutive ones after `start`.
    public init(tokens: [TokenID], positions: [Int], mask: AttentionMask = .causal) {
        self.tokens = tokens
        self.positions = positions
        self.mask = mask
    }

    /// A causal batch of consecutive positions starting at `start`.
    public init(tokens: [TokenID], startingAt start: Int) {
        self.init(tokens: tokens, positions: Array(start ..< start + tokens.count))
    }

    /// Checks lengths and the mask's shape.
    func validate(vocabularySize: Int) throws(ModelError) {
        guard !tokens.isEmpty else { throw .invalidBatch("no rows") }
        guard positions.count == tokens.count else {
            throw .invalidBatch("\(tokens.count) tokens but \(positions.count) positions")
        }
        for token in tokens where token < 0 || Int(token) >= vocabularySize {
            throw .tokenOutOfRange(token, vocabularySize: vocabularySize)
        }
        guard positions.allSatisfy({ $0 >= 0 }) else { throw .invalidBatch("negative position") }
        if case .rows(let rows) = mask {
            guard rows.count == tokens.count else {
                throw .invalidBatch("mask has \(rows.count) rows for \(tokens.count) tokens")
            }
            for (row, visible) in rows.enumerated() {
                guard visible.last == row,
                      zip(visible, visible.dropFirst()).allSatisfy({ $0 < $1 }),
                      visible.allSatisfy({ $0 >= 0 }) else {
                    throw .invalidBatch("mask row \(row) must list earlier rows in increasing order, ending with itself")
                }
            }
        }
    }
}
