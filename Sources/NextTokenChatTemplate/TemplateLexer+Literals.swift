extension TemplateLexer {
    /// A number as jinja2 lexes it: floats (`1.5`, `1e5`, `2.5E-3`) before integers (`42`, `0x1F`, `0o17`,
    /// `0b101`), `_` allowed between digits.
    mutating func lexNumber() throws(ChatTemplateError) -> TemplateToken.Kind {
        let start = index
        let afterDot = start > 0 && source[start - 1] == "."
        if !afterDot, let end = floatEnd(from: start) {
            index = end
            let text = String(PythonText.string(source[start..<end]).filter { $0 != "_" })
            guard let value = Double(text) else { throw .syntax("invalid float literal", at: location(start)) }
            return .float(value)
        }
        if source[start] == "0", start + 1 < source.count {
            let radixes: [Unicode.Scalar: Int] = ["b": 2, "B": 2, "o": 8, "O": 8, "x": 16, "X": 16]
            if let radix = radixes[source[start + 1]] {
                var end = start + 2
                while end < source.count, source[end] == "_" || Int(String(source[end]), radix: radix) != nil {
                    end += 1
                }
                let digits = String(PythonText.string(source[(start + 2)..<end]).filter { $0 != "_" })
                if !digits.isEmpty, let value = Int(digits, radix: radix) {
                    index = end
                    return .integer(value)
                }
            }
        }
        // `0(_?0)*` or `[1-9](_?\d)*`
        var end = start + 1
        while end < source.count {
            if isDigit(source[end]) && (source[start] != "0" || source[end] == "0") {
                end += 1
            } else if source[end] == "_", end + 1 < source.count, isDigit(source[end + 1]),
                      source[start] != "0" || source[end + 1] == "0" {
                end += 2
            } else {
                break
            }
        }
        index = end
        let digits = String(PythonText.string(source[start..<end]).filter { $0 != "_" })
        guard let value = Int(digits) else {
            throw .unsupported("integer literal \(digits) does not fit in 64 bits", at: location(start))
        }
        return .integer(value)
    }

    /// End of `digits(.digits)?e[+-]?digits` or `digits.digits`, when there is one at `start`.
    private func floatEnd(from start: Int) -> Int? {
        func digitRun(_ position: Int) -> Int? {
            guard position < source.count, isDigit(source[position]) else { return nil }
            var end = position + 1
            while end < source.count {
                if isDigit(source[end]) {
                    end += 1
                } else if source[end] == "_", end + 1 < source.count, isDigit(source[end + 1]) {
                    end += 2
                } else {
                    break
                }
            }
            return end
        }
        guard var end = digitRun(start) else { return nil }
        var isFloat = false
        if end < source.count, source[end] == ".", let fraction = digitRun(end + 1) {
            end = fraction
            isFloat = true
        }
        if end < source.count, source[end] == "e" || source[end] == "E" {
            var exponentStart = end + 1
            if exponentStart < source.count, source[exponentStart] == "+" || source[exponentStart] == "-" {
                exponentStart += 1
            }
            if let exponent = digitRun(exponentStart) {
                end = exponent
                isFloat = true
            }
        }
        return isFloat ? end : nil
    }

    /// A quoted string with Python's escapes (`\n`, `\t`, `\'`, `\xhh`, `\uXXXX`, octal, ...); unknown escapes
    /// keep their backslash, as Python's `unicode-escape` does.
    mutating func lexString() throws(ChatTemplateError) -> String {
        let start = index
        let quote = source[start]
        var end = start + 1
        while end < source.count, source[end] != quote {
            end += source[end] == "\\" ? 2 : 1
        }
        guard end < source.count else { throw unexpectedCharacter(at: start) }
        index = end + 1
        return try unescape(source[(start + 1)..<end], at: start)
    }

    private func unescape(_ body: ArraySlice<Unicode.Scalar>, at start: Int) throws(ChatTemplateError) -> String {
        var out = String.UnicodeScalarView()
        var position = body.startIndex
        func hexValue(_ count: Int) throws(ChatTemplateError) -> Unicode.Scalar {
            let digits = body[position..<min(position + count, body.endIndex)]
            guard digits.count == count, let value = UInt32(PythonText.string(digits), radix: 16),
                  let scalar = Unicode.Scalar(value)
            else { throw .syntax("truncated or invalid escape in a string literal", at: location(start)) }
            position += count
            return scalar
        }
        while position < body.endIndex {
            let scalar = body[position]
            position += 1
            guard scalar == "\\", position < body.endIndex else { out.append(scalar); continue }
            let escape = body[position]
            position += 1
            switch escape {
            case "\n": break
            case "\\", "'", "\"": out.append(escape)
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append("\u{0B}")
            case "x": out.append(try hexValue(2))
            case "u": out.append(try hexValue(4))
            case "U": out.append(try hexValue(8))
            case "0"..."7":
                var value = escape.value - 0x30
                var digits = 1
                while digits < 3, position < body.endIndex, ("0"..."7").contains(body[position]) {
                    value = value * 8 + body[position].value - 0x30
                    position += 1
                    digits += 1
                }
                out.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            case "N":
                throw .unsupported("\\N{...} escapes are not supported", at: location(start))
            default:
                out.append("\\")
                out.append(escape)
            }
        }
        return String(out)
    }
}
