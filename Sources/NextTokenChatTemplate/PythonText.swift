/// Python's `str` operations, done on Unicode scalars (code points) as Python does, never on Swift's
/// grapheme clusters and never with Unicode normalisation.
enum PythonText {
    /// `str.isspace()` for one scalar: the characters Python strips and splits on by default,
    /// including NO-BREAK SPACE (U+00A0) and the other Unicode spaces.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            true
        default:
            false
        }
    }

    static func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

    static func string<S: Sequence<Unicode.Scalar>>(_ scalars: S) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    static func equal(_ a: String, _ b: String) -> Bool { a.unicodeScalars.elementsEqual(b.unicodeScalars) }

    /// Code-point order, as Python compares strings.
    static func less(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
    }

    // MARK: Stripping

    /// `str.strip(chars)`, `lstrip` (`trailing: false`) or `rstrip` (`leading: false`); `chars == nil` strips whitespace.
    static func strip(_ text: String, chars: String? = nil, leading: Bool = true, trailing: Bool = true) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        let shouldStrip: (Unicode.Scalar) -> Bool = { set?.contains($0) ?? isWhitespace($0) }
        let all = scalars(text)
        var start = 0
        var end = all.count
        if leading { while start < end, shouldStrip(all[start]) { start += 1 } }
        if trailing { while end > start, shouldStrip(all[end - 1]) { end -= 1 } }
        return string(all[start..<end])
    }

    // MARK: Searching

    /// The scalar offset of the first occurrence of `needle` at or after `start`, or `nil`.
    static func find(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from start: Int = 0) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        if needle.isEmpty { return start <= haystack.count ? start : nil }
        var index = max(start, 0)
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The scalar offset of the last occurrence of `needle`, or `nil`.
    static func findLast(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = haystack.count - needle.count
        while index >= 0 {
            if haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index -= 1
        }
        return nil
    }

    static func contains(_ text: String, _ needle: String) -> Bool {
        find(scalars(needle), in: scalars(text)) != nil
    }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        text.unicodeScalars.starts(with: prefix.unicodeScalars)
    }

    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        text.unicodeScalars.reversed().starts(with: suffix.unicodeScalars.reversed())
    }

    /// `str.count(sub)`: non-overlapping occurrences.
    static func count(_ needle: String, in text: String) -> Int {
        let haystack = scalars(text)
        let needleScalars = scalars(needle)
        if needleScalars.isEmpty { return haystack.count + 1 }
        var total = 0
        var index = 0
        while let found = find(needleScalars, in: haystack, from: index) {
            total += 1
            index = found + needleScalars.count
        }
        return total
    }

    // MARK: Splitting and replacing

    /// `str.split(sep, maxsplit)`; `sep == nil` splits on runs of whitespace and drops empty parts.
    /// Returns `nil` for an empty separator (Python raises `ValueError`).
    static func split(_ text: String, separator: String?, maxSplits: Int = -1) -> [String]? {
        let all = scalars(text)
        guard let separator else { return splitOnWhitespace(all, maxSplits: maxSplits) }
        let needle = scalars(separator)
        guard !needle.isEmpty else { return nil }
        var parts: [String] = []
        var start = 0
        while maxSplits < 0 || parts.count < maxSplits, let found = find(needle, in: all, from: start) {
            parts.append(string(all[start..<found]))
            start = found + needle.count
        }
        parts.append(string(all[start...]))
        return parts
    }

    private static func splitOnWhitespace(_ all: [Unicode.Scalar], maxSplits: Int) -> [String] {
        var parts: [String] = []
        var index = 0
        while index < all.count {
            while index < all.count, isWhitespace(all[index]) { index += 1 }
            guard index < all.count else { break }
            if maxSplits >= 0, parts.count == maxSplits {
                parts.append(string(all[index...]))
                break
            }
            let start = index
            while index < all.count, !isWhitespace(all[index]) { index += 1 }
            parts.append(string(all[start..<index]))
        }
        return parts
    }

    /// `str.rsplit(sep, maxsplit)`; `nil` for an empty separator.
    static func splitFromEnd(_ text: String, separator: String?, maxSplits: Int) -> [String]? {
        guard maxSplits >= 0 else { return split(text, separator: separator, maxSplits: -1) }
        let reversedText = string(text.unicodeScalars.reversed())
        let reversedSeparator = separator.map { string($0.unicodeScalars.reversed()) }
        guard let parts = split(reversedText, separator: reversedSeparator, maxSplits: maxSplits) else { return nil }
        return parts.reversed().map { string($0.unicodeScalars.reversed()) }
    }

    /// `str.splitlines(keepends)`.
    static func splitLines(_ text: String, keepEnds: Bool) -> [String] {
        let all = scalars(text)
        var lines: [String] = []
        var start = 0
        var index = 0
        while index < all.count {
            let value = all[index].value
            let isBreak = (0x0A...0x0D).contains(value) || (0x1C...0x1E).contains(value) || value == 0x85
                || value == 0x2028 || value == 0x2029
            guard isBreak else { index += 1; continue }
            var end = index + 1
            if value == 0x0D, end < all.count, all[end] == "\n" { end += 1 }
            lines.append(string(all[start..<(keepEnds ? end : index)]))
            start = end
            index = end
        }
        if start < all.count { lines.append(string(all[start...])) }
        return lines
    }

    /// `str.replace(old, new, count)`; an empty `old` inserts `new` around every scalar, as Python does.
    static func replace(_ text: String, _ old: String, with new: String, count limit: Int = -1) -> String {
        let all = scalars(text)
        let needle = scalars(old)
        let replacement = scalars(new)
        var result: [Unicode.Scalar] = []
        var replaced = 0
        if needle.isEmpty {
            for scalar in all {
                if limit < 0 || replaced < limit { result += replacement; replaced += 1 }
                result.append(scalar)
            }
            if limit < 0 || replaced < limit { result += replacement }
            return string(result)
        }
        var start = 0
        while limit < 0 || replaced < limit, let found = find(needle, in: all, from: start) {
            result += all[start..<found]
            result += replacement
            start = found + needle.count
            replaced += 1
        }
        result += all[start...]
        return string(result)
    }

    // MARK: Case

    static func upper(_ text: String) -> String { text.uppercased() }
    static func lower(_ text: String) -> String { text.lowercased() }

    /// `str.capitalize()`: the first scalar in title case, the rest lower case.
    static func capitalize(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        return first.properties.titlecaseMapping + lower(string(text.unicodeScalars.dropFirst()))
    }

    /// `str.title()`: a scalar after a cased scalar goes to lower case, any other to title case.
    static func title(_ text: String) -> String {
        var result = ""
        var previousIsCased = false
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            result += previousIsCased ? properties.lowercaseMapping : properties.titlecaseMapping
            previousIsCased = properties.isCased
        }
        return result
    }
}
