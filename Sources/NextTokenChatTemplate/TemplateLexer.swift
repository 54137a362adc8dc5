/// Splits a template into tokens exactly as jinja2's lexer does with `trim_blocks=True, lstrip_blocks=True`:
/// newlines normalised to `\n` and one trailing newline dropped; `-` after an opening or before a closing
/// delimiter strips all whitespace on that side; a block or comment tag swallows the newline after it;
/// spaces before a block or comment tag that starts its line disappear; `+` turns both off for a tag.
struct TemplateLexer {
    private enum Opener { case variable, block, comment }

    let source: [Unicode.Scalar]
    private let lineStarts: [Int]
    var index = 0
    private var tokens: [TemplateToken] = []
    /// Whether the text consumed so far ends a line (jinja2's `line_starting`, for `lstrip_blocks`).
    private var lineStarting = true
    /// Closing brackets expected, innermost last; while non-empty, `}}` and `%}` are ordinary operators.
    private var brackets: [Unicode.Scalar] = []

    init(source text: String) {
        var normalized: [Unicode.Scalar] = []
        let raw = Array(text.unicodeScalars)
        var position = 0
        while position < raw.count {
            let scalar = raw[position]
            if scalar == "\r" {
                normalized.append("\n")
                if position + 1 < raw.count, raw[position + 1] == "\n" { position += 1 }
            } else {
                normalized.append(scalar)
            }
            position += 1
        }
        if normalized.last == "\n" { normalized.removeLast() }
        source = normalized
        lineStarts = [0] + normalized.indices.filter { normalized[$0] == "\n" }.map { $0 + 1 }
    }

    /// The tokens, ending with `.end`, or with an `.error` token where the text cannot be tokenized.
    mutating func tokenize() -> [TemplateToken] {
        do {
            try tokenizeAll()
        } catch {
            tokens.append(TemplateToken(kind: .error(error), location: error.location))
            return tokens
        }
        tokens.append(TemplateToken(kind: .end, location: location(source.count)))
        return tokens
    }

    private mutating func tokenizeAll() throws(ChatTemplateError) {
        while index < source.count {
            guard let (start, opener) = nextOpener(from: index) else {
                emitData(source[index...], at: index)
                index = source.count
                break
            }
            var afterOpener = start + 2
            let sign = afterOpener < source.count && (source[afterOpener] == "-" || source[afterOpener] == "+")
                ? source[afterOpener] : nil
            if sign != nil { afterOpener += 1 }
            let rawEnd = opener == .block ? matchWord("raw", from: afterOpener, closing: true) : nil
            emitData(strippedText(index..<start, sign: sign, opener: opener), at: index)
            switch opener {
            case .comment:
                try skipComment(openedAt: start, from: afterOpener)
            case .block where rawEnd != nil:
                try readRaw(openedAt: start, from: rawEnd ?? afterOpener)
            case .variable, .block:
                tokens.append(TemplateToken(kind: opener == .block ? .blockBegin : .variableBegin,
                                            location: location(start)))
                index = afterOpener
                try lexTag(isBlock: opener == .block)
            }
        }
    }

    // MARK: Text between tags

    private func nextOpener(from start: Int) -> (Int, Opener)? {
        var position = start
        while position + 1 < source.count {
            if source[position] == "{" {
                switch source[position + 1] {
                case "{": return (position, .variable)
                case "%": return (position, .block)
                case "#": return (position, .comment)
                default: break
                }
            }
            position += 1
        }
        return nil
    }

    /// The text before a tag after whitespace control: `-` strips all trailing whitespace; otherwise a block
    /// or comment tag preceded on its line only by whitespace takes that whitespace away (`lstrip_blocks`).
    private func strippedText(_ range: Range<Int>, sign: Unicode.Scalar?, opener: Opener) -> ArraySlice<Unicode.Scalar> {
        let text = source[range]
        if sign == "-" {
            var end = range.upperBound
            while end > range.lowerBound, PythonText.isWhitespace(source[end - 1]) { end -= 1 }
            return source[range.lowerBound..<end]
        }
        guard sign != "+", opener != .variable else { return text }
        let lineStart = text.lastIndex(of: "\n").map { $0 + 1 } ?? range.lowerBound
        guard lineStart > range.lowerBound || lineStarting, lineStart < range.upperBound,
              source[lineStart..<range.upperBound].allSatisfy(PythonText.isWhitespace)
        else { return text }
        return source[range.lowerBound..<lineStart]
    }

    private mutating func emitData(_ text: ArraySlice<Unicode.Scalar>, at start: Int) {
        guard !text.isEmpty else { return }
        tokens.append(TemplateToken(kind: .data(PythonText.string(text)), location: location(start)))
    }

    // MARK: Comments and raw blocks

    private mutating func skipComment(openedAt start: Int, from bodyStart: Int) throws(ChatTemplateError) {
        // jinja2 stops without an error when the opener is the very end of the template.
        guard bodyStart < source.count else { index = source.count; return }
        var position = bodyStart
        while position + 1 < source.count {
            if source[position] == "-" || source[position] == "+",
               position + 2 < source.count, source[position + 1] == "#", source[position + 2] == "}" {
                finishTag(after: position + 3, sign: source[position])
                return
            }
            if source[position] == "#", source[position + 1] == "}" {
                finishTag(after: position + 2, sign: nil)
                return
            }
            position += 1
        }
        throw .syntax("Missing end of comment tag", at: location(start))
    }

    /// After `{% raw %}`: everything up to `{% endraw %}` is text.
    private mutating func readRaw(openedAt start: Int, from bodyStart: Int) throws(ChatTemplateError) {
        index = bodyStart
        guard bodyStart < source.count else { return }
        lineStarting = index > 0 && source[index - 1] == "\n"
        var position = bodyStart
        while let (tagStart, opener) = nextOpener(from: position) {
            position = tagStart + 1
            guard opener == .block else { continue }
            var nameStart = tagStart + 2
            let sign = nameStart < source.count && (source[nameStart] == "-" || source[nameStart] == "+")
                ? source[nameStart] : nil
            if sign != nil { nameStart += 1 }
            guard let end = matchWord("endraw", from: nameStart, closing: false) else { continue }
            emitData(strippedText(bodyStart..<tagStart, sign: sign, opener: .block), at: bodyStart)
            let closingSign: Unicode.Scalar? = source[end] == "%" ? nil : source[end]
            finishTag(after: end + (closingSign == nil ? 2 : 3), sign: closingSign)
            return
        }
        throw .syntax("Missing end of raw directive", at: location(start))
    }

    /// Matches `\s*word\s*` then a block end at `position`; returns where the text after `raw` continues
    /// (`closing: true`, the whole end consumed) or where the block end starts (`closing: false`).
    private func matchWord(_ word: String, from position: Int, closing: Bool) -> Int? {
        var cursor = position
        while cursor < source.count, PythonText.isWhitespace(source[cursor]) { cursor += 1 }
        for scalar in word.unicodeScalars {
            guard cursor < source.count, source[cursor] == scalar else { return nil }
            cursor += 1
        }
        while cursor < source.count, PythonText.isWhitespace(source[cursor]) { cursor += 1 }
        let rest = source[cursor...]
        if rest.starts(with: ["-", "%", "}"]) {
            guard closing else { return cursor }
            var after = cursor + 3
            while after < source.count, PythonText.isWhitespace(source[after]) { after += 1 }
            return after
        }
        if rest.starts(with: ["%", "}"]) { return closing ? cursor + 2 : cursor }
        if !closing, rest.starts(with: ["+", "%", "}"]) { return cursor }
        return nil
    }

    /// Moves past a closing delimiter ending at `end`: `-` eats the following whitespace, no sign eats one
    /// newline (`trim_blocks`), `+` nothing.
    private mutating func finishTag(after end: Int, sign: Unicode.Scalar?) {
        index = end
        if sign == "-" {
            while index < source.count, PythonText.isWhitespace(source[index]) { index += 1 }
        } else if sign == nil, index < source.count, source[index] == "\n" {
            index += 1
        }
        lineStarting = index > 0 && source[index - 1] == "\n"
    }

    // MARK: Inside {{ }} and {% %}

    private mutating func lexTag(isBlock: Bool) throws(ChatTemplateError) {
        brackets = []
        while true {
            while index < source.count, PythonText.isWhitespace(source[index]) { index += 1 }
            guard index < source.count else { return }
            if brackets.isEmpty, let end = closingDelimiter(isBlock: isBlock) {
                tokens.append(TemplateToken(kind: isBlock ? .blockEnd : .variableEnd, location: location(index)))
                if isBlock {
                    finishTag(after: index + end.length, sign: end.sign)
                } else {
                    // `}}` never trims a newline; only `-}}` strips.
                    finishTag(after: index + end.length, sign: end.sign ?? "+")
                }
                return
            }
            try lexExpressionToken()
        }
    }

    private func closingDelimiter(isBlock: Bool) -> (length: Int, sign: Unicode.Scalar?)? {
        let rest = source[index...]
        let close: [Unicode.Scalar] = isBlock ? ["%", "}"] : ["}", "}"]
        if rest.starts(with: ["-"] + close) { return (3, "-") }
        if isBlock, rest.starts(with: ["+"] + close) { return (3, "+") }
        if rest.starts(with: close) { return (2, nil) }
        return nil
    }

    private mutating func lexExpressionToken() throws(ChatTemplateError) {
        let start = index
        let scalar = source[index]
        if isDigit(scalar) {
            tokens.append(TemplateToken(kind: try lexNumber(), location: location(start)))
        } else if scalar == "_" || scalar.properties.isAlphabetic {
            while index < source.count,
                  source[index] == "_" || source[index].properties.isAlphabetic || isDigit(source[index]) {
                index += 1
            }
            tokens.append(TemplateToken(kind: .name(PythonText.string(source[start..<index])), location: location(start)))
        } else if scalar == "'" || scalar == "\"" {
            tokens.append(TemplateToken(kind: .string(try lexString()), location: location(start)))
        } else {
            tokens.append(TemplateToken(kind: .op(try lexOperator()), location: location(start)))
        }
    }

    private mutating func lexOperator() throws(ChatTemplateError) -> String {
        let start = index
        for op in ["//", "**", "==", "!=", ">=", "<="] where source[index...].starts(with: op.unicodeScalars) {
            index += 2
            return op
        }
        let scalar = source[index]
        guard "+-/*%~[](){}><=.:|,;".unicodeScalars.contains(scalar) else {
            throw unexpectedCharacter(at: start)
        }
        index += 1
        switch scalar {
        case "(": brackets.append(")")
        case "[": brackets.append("]")
        case "{": brackets.append("}")
        case ")", "]", "}":
            guard let expected = brackets.popLast() else {
                throw .syntax("unexpected '\(scalar)'", at: location(start))
            }
            guard expected == scalar else {
                throw .syntax("unexpected '\(scalar)', expected '\(expected)'", at: location(start))
            }
        default: break
        }
        return String(scalar)
    }

    func unexpectedCharacter(at position: Int) -> ChatTemplateError {
        .syntax("unexpected char \(PythonStringRepr.repr(String(source[position]))) at \(position)",
                at: location(position))
    }

    func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    func location(_ position: Int) -> TemplateSourceLocation {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= position { low = middle } else { high = middle - 1 }
        }
        return TemplateSourceLocation(line: low + 1, column: position - lineStarts[low] + 1)
    }
}
