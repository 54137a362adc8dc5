/// A scanner equivalent to GPT-2's pre-tokenizer regex
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`,
/// with the regex's leftmost-alternative semantics.
enum GPT2Splitter {
    /// Appends the end index of each match in `text.values[range]` to `pieceEnds`.
    static func split(_ text: ClassifiedText, _ range: Range<Int>, into pieceEnds: inout [Int]) {
        var start = range.lowerBound
        while start < range.upperBound {
            start = matchEnd(text, start, range.upperBound)
            pieceEnds.append(start)
        }
    }

    /// The end of the match that starts at `start`; the text ends at `end`.
    private static func matchEnd(_ text: ClassifiedText, _ start: Int, _ end: Int) -> Int {
        let values = text.values
        let classes = text.classes
        // 's|'t|'re|'ve|'m|'ll|'d (lower case only)
        let contraction = ASCII.contractionLength(values, start, end, ignoringCase: false)
        if contraction > 0 { return start + contraction }
        // ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+': an optional space, then a run of one class.
        var runStart = start
        if values[start] == ASCII.space, start + 1 < end, classes[start + 1] != .whitespace {
            runStart = start + 1
        }
        let runClass = classes[runStart]
        var index = runStart + 1
        if runClass != .whitespace {
            while index < end, classes[index] == runClass { index += 1 }
            return index
        }
        // '\s+(?!\S)': the whitespace run, less its last character when a non-space follows;
        // '\s+': a single whitespace character before a non-space.
        while index < end, classes[index] == .whitespace { index += 1 }
        if index == end || index - start == 1 { return index }
        return index - 1
    }
}
