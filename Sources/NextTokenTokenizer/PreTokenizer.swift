/// How text is cut into words before byte-level BPE, chosen by `tokenizer.ggml.pre`.
///
/// Each case is a hand-written scanner equivalent to the regexes named below; the pieces always
/// cover the text, in order, without gaps.
package enum PreTokenizer: Sendable, Equatable {
    /// GPT-2's regex:
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    case gpt2
    /// SmolLM's: every `\p{N}` character is first isolated as its own piece, then GPT-2's regex
    /// splits the rest.
    case smollm
    /// Llama 3's regex:
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|`
    /// `\s*[\r\n]+|\s+(?!\S)|\s+`.
    case llama3
    /// Qwen 2's regex: Llama 3's with `\p{N}` (single digits) instead of `\p{N}{1,3}`.
    case qwen2

    /// The pre-tokenizer that `tokenizer.ggml.pre` names, accepting llama.cpp's aliases.
    package init(name: String) throws(TokenizerError) {
        switch name {
        case "gpt2", "gpt-2": self = .gpt2
        case "smollm": self = .smollm
        case "llama-bpe", "llama3", "llama-v3": self = .llama3
        case "qwen2": self = .qwen2
        default: throw .unknownPreTokenizer(name: name, model: TokenizerModelKind.gpt2.rawValue)
        }
    }

    /// Whether a piece that is itself a vocabulary token is emitted whole, without merging
    /// (Llama 3's `ignore_merges`).
    package var ignoresMerges: Bool { self == .llama3 }

    /// Appends the end index of each piece of `text.values[range]` to `pieceEnds`.
    package func split(_ text: ClassifiedText, _ range: Range<Int>, into pieceEnds: inout [Int]) {
        switch self {
        case .gpt2:
            GPT2Splitter.split(text, range, into: &pieceEnds)
        case .smollm:
            var start = range.lowerBound
            while start < range.upperBound {
                if text.classes[start] == .number {
                    start += 1
                    pieceEnds.append(start)
                    continue
                }
                var end = start + 1
                while end < range.upperBound, text.classes[end] != .number { end += 1 }
                GPT2Splitter.split(text, start..<end, into: &pieceEnds)
                start = end
            }
        case .llama3:
            Llama3Splitter.split(text, range, maximumDigits: 3, into: &pieceEnds)
        case .qwen2:
            Llama3Splitter.split(text, range, maximumDigits: 1, into: &pieceEnds)
        }
    }
}

/// ASCII code points the pre-tokenizer regexes spell out.
enum ASCII {
    static let apostrophe: UInt32 = 0x27
    static let space: UInt32 = 0x20
    static let carriageReturn: UInt32 = 0x0D
    static let lineFeed: UInt32 = 0x0A

    /// The length of the contraction (`'s 't 're 've 'm 'll 'd`) at `start`, or 0 if there is
    /// none. `ignoringCase` compares by Unicode simple case folding, as `(?i)` does: ASCII
    /// capitals, and U+017F (long s), which folds to `s`, are also accepted.
    static func contractionLength(
        _ values: [UInt32], _ start: Int, _ end: Int, ignoringCase: Bool
    ) -> Int {
        guard values[start] == apostrophe, end - start >= 2 else { return 0 }
        func letter(_ index: Int) -> UInt32 {
            let value = values[index]
            guard ignoringCase else { return value }
            if (0x41...0x5A).contains(value) { return value + 0x20 }
            return value == 0x17F ? 0x73 : value
        }
        switch letter(start + 1) {
        case 0x73, 0x74, 0x6D, 0x64: return 2  // s t m d
        case 0x72, 0x76:  // r v, then e
            return end - start >= 3 && letter(start + 2) == 0x65 ? 3 : 0
        case 0x6C:  // l, then l
            return end - start >= 3 && letter(start + 2) == 0x6C ? 3 : 0
        default: return 0
        }
    }

    /// Whether a value is `\r` or `\n`.
    @inline(__always)
    static func isLineBreak(_ value: UInt32) -> Bool {
        value == carriageReturn || value == lineFeed
    }
}
