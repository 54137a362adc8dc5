/// A scanner equivalent to Llama 3's pre-tokenizer regex
/// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|`
/// `\s*[\r\n]+|\s+(?!\S)|\s+`, and, with one digit per number, Qwen 2's.
///
/// The case-insensitive contractions follow the regex (simple case folding, so `'ſ` is `'s`);
/// llama.cpp's hand-written version accepts only ASCII capitals.
enum Llama3Splitter {
    /// Appends the end index of each match in `text.values[range]` to `pieceEnds`; numbers are
    /// cut into runs of at most `maximumDigits` characters.
    static func split(
        _ text: ClassifiedText, _ range: Range<Int>, maximumDigits: Int,
        into pieceEnds: inout [Int]
    ) {
        var start = range.lowerBound
        while start < range.upperBound {
            start = matchEnd(text, start, range.upperBound, maximumDigits)
            pieceEnds.append(start)
        }
    }

    /// The end of the match that starts at `start`; the text ends at `end`.
    private static func matchEnd(
        _ text: ClassifiedText, _ start: Int, _ end: Int, _ maximumDigits: Int
    ) -> Int {
        let values = text.values
        let classes = text.classes
        let contraction = ASCII.contractionLength(values, start, end, ignoringCase: true)
        if contraction > 0 { return start + contraction }
        let first = classes[start]
        // '[^\r\n\p{L}\p{N}]?\p{L}+'
        var letters = start
        if first != .letter, first != .number, !ASCII.isLineBreak(values[start]),
           start + 1 < end, classes[start + 1] == .letter {
            letters = start + 1
        }
        if classes[letters] == .letter {
            var index = letters + 1
            while index < end, classes[index] == .letter { index += 1 }
            return index
        }
        // '\p{N}{1,3}'
        if first == .number {
            var index = start + 1
            while index < end, index - start < maximumDigits, classes[index] == .number {
                index += 1
            }
            return index
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        var symbols = start
        if values[start] == ASCII.space, start + 1 < end, classes[start + 1] == .other {
            symbols = start + 1
        }
        if classes[symbols] == .other {
            var index = symbols + 1
            while index < end, classes[index] == .other { index += 1 }
            while index < end, ASCII.isLineBreak(values[index]) { index += 1 }
            return index
        }
        // Whitespace from here on. '\s*[\r\n]+': up to the run's last line break.
        var runEnd = start + 1
        while runEnd < end, classes[runEnd] == .whitespace { runEnd += 1 }
        var lastBreak = runEnd - 1
        while lastBreak >= start, !ASCII.isLineBreak(values[lastBreak]) { lastBreak -= 1 }
        if lastBreak >= start { return lastBreak + 1 }
        // '\s+(?!\S)', then '\s+'.
        if runEnd == end || runEnd - start == 1 { return runEnd }
        return runEnd - 1
    }
}
