import NextTokenCore

/// Finds special-token texts in UTF-8 bytes: control tokens when special tokens are parsed,
/// user-defined tokens always. The leftmost match wins, and the longest of those starting there.
///
/// The texts sit in a byte trie whose edges are keyed `node << 8 | byte`. A match can only start
/// at a scalar boundary, because a token text starts with a lead byte.
package struct SpecialTokenMatcher: Sendable {
    /// One piece of a text cut at special tokens.
    package enum Segment: Equatable, Sendable {
        /// Ordinary text: a byte range of the input.
        case text(Range<Int>)
        /// A special token.
        case token(TokenID)
    }

    /// Child node of each (node, byte) edge.
    private var edges: [Int: Int32] = [:]
    /// The token a node completes, or -1.
    private var terminalToken: [TokenID] = [-1]
    /// Whether that token is matched only when special tokens are parsed.
    private var terminalNeedsParseSpecial: [Bool] = [false]
    /// Whether some text starts with each byte.
    private var isFirstByte = [Bool](repeating: false, count: 256)

    /// A matcher for the control and user-defined tokens of `tokens`, each looked for as the
    /// bytes `spelling` gives for its text (its UTF-8 unless the text is normalized first).
    package init(
        tokens: [String], types: [Int32], spelling: (String) -> [UInt8] = { Array($0.utf8) }
    ) {
        for (index, text) in tokens.enumerated() where index < types.count {
            let type = TokenType(rawValue: types[index])
            guard type == .control || type == .userDefined else { continue }
            let bytes = spelling(text)
            guard !bytes.isEmpty else { continue }
            insert(bytes, token: TokenID(truncatingIfNeeded: index), needsParseSpecial: type == .control)
        }
    }

    /// Whether there is no text to look for.
    package var isEmpty: Bool { terminalToken.count == 1 }

    private mutating func insert(_ bytes: [UInt8], token: TokenID, needsParseSpecial: Bool) {
        isFirstByte[Int(bytes[0])] = true
        var node = 0
        for byte in bytes {
            let key = node << 8 | Int(byte)
            if let child = edges[key] {
                node = Int(child)
            } else {
                let child = terminalToken.count
                terminalToken.append(-1)
                terminalNeedsParseSpecial.append(false)
                edges[key] = Int32(truncatingIfNeeded: child)
                node = child
            }
        }
        // The first of two tokens with the same text keeps it.
        if terminalToken[node] < 0 {
            terminalToken[node] = token
            terminalNeedsParseSpecial[node] = needsParseSpecial
        }
    }

    /// Cuts `bytes` into ordinary text and special tokens.
    package func segments(of bytes: [UInt8], parseSpecial: Bool) -> [Segment] {
        var segments: [Segment] = []
        var textStart = 0
        var start = 0
        while start < bytes.count {
            guard isFirstByte[Int(bytes[start])],
                  let (token, length) = longestMatch(in: bytes, at: start, parseSpecial: parseSpecial)
            else {
                start += 1
                continue
            }
            if textStart < start { segments.append(.text(textStart..<start)) }
            segments.append(.token(token))
            start += length
            textStart = start
        }
        if textStart < bytes.count { segments.append(.text(textStart..<bytes.count)) }
        return segments
    }

    /// The longest allowed token text starting at `start`, and its length in bytes.
    private func longestMatch(
        in bytes: [UInt8], at start: Int, parseSpecial: Bool
    ) -> (TokenID, Int)? {
        var best: (TokenID, Int)?
        var node = 0
        var index = start
        while index < bytes.count, let child = edges[node << 8 | Int(bytes[index])] {
            node = Int(child)
            index += 1
            let token = terminalToken[node]
            if token >= 0, parseSpecial || !terminalNeedsParseSpecial[node] {
                best = (token, index - start)
            }
        }
        return best
    }
}
