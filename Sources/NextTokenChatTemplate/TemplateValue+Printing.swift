extension TemplateValue {
    /// What `{{ value }}` prints: Python's `str()`, with undefined values printing as `""`.
    ///
    /// `True`/`False`/`None`, floats as Python's shortest repr (`1.0`, `1e-07`), lists and dictionaries as
    /// their Python repr (`['a', 1]`, `{'k': 'v'}`).
    public var printed: String {
        switch self {
        case .undefined: ""
        case .string(let text): text
        default: repr
        }
    }

    /// Python's `repr()`. Containers nested deeper than the renderer ever builds (or a namespace that
    /// contains itself) print as `...` past that depth.
    public var repr: String { repr(depth: 0) }

    private func repr(depth: Int) -> String {
        guard depth <= 2 * TemplateLimits.nestingDepth else { return "..." }
        switch self {
        case .undefined: return "Undefined"
        case .none: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .double(let number): return PythonFloat.repr(number)
        case .string(let text): return PythonStringRepr.repr(text)
        case .array(let items): return "[" + items.map { $0.repr(depth: depth + 1) }.joined(separator: ", ") + "]"
        case .dictionary(let dictionary): return Self.repr(dictionary, depth: depth)
        case .namespace(let namespace): return "<Namespace " + Self.repr(namespace.attributes, depth: depth) + ">"
        case .callable(let callable): return callable.repr
        }
    }

    private static func repr(_ dictionary: TemplateDictionary, depth: Int) -> String {
        let entries = zip(dictionary.keys, dictionary.values).map {
            $0.repr(depth: depth + 1) + ": " + $1.repr(depth: depth + 1)
        }
        return "{" + entries.joined(separator: ", ") + "}"
    }

    /// Whether lists and dictionaries nest more than `limit` levels deep inside this value (namespaces count as
    /// leaves); `visited` grows by the number of containers looked at.
    func nestsDeeper(than limit: Int, visited: inout Int) -> Bool {
        let children: [TemplateValue]
        switch self {
        case .array(let items): children = items
        case .dictionary(let dictionary): children = dictionary.values
        default: return false
        }
        visited += 1
        guard limit > 0 else { return true }
        for child in children where child.nestsDeeper(than: limit - 1, visited: &visited) { return true }
        return false
    }
}

/// Python's `repr()` of a `str`.
enum PythonStringRepr {
    static func repr(_ text: String) -> String {
        let hasSingle = text.unicodeScalars.contains("'")
        let hasDouble = text.unicodeScalars.contains("\"")
        let quote: Unicode.Scalar = hasSingle && !hasDouble ? "\"" : "'"
        var out = String.UnicodeScalarView()
        out.append(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case quote, "\\":
                out.append("\\")
                out.append(scalar)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            default:
                if isPrintable(scalar) {
                    out.append(scalar)
                } else {
                    out.append(contentsOf: escape(scalar).unicodeScalars)
                }
            }
        }
        out.append(quote)
        return String(out)
    }

    /// `str.isprintable()` for one scalar: everything but controls, format characters, surrogates,
    /// private-use and unassigned code points, and separators other than the ASCII space.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        if scalar.value < 0x7F { return scalar.value >= 0x20 }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
             .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        switch scalar.value {
        case ..<0x100: return "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
        case ..<0x10000: return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: return "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
        }
    }
}

/// Python's `repr()` of a `float`: the shortest digits that round-trip, in positional notation for
/// decimal exponents -4 ..< 16 (always with a fractional part, `1.0`) and scientific otherwise (`1e-07`, `1e+16`).
enum PythonFloat {
    static func repr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let sign = value.sign == .minus ? "-" : ""
        var (digits, pointPosition) = shortestDigits(abs(value))
        if digits.isEmpty { return sign + "0.0" }
        let exponent = pointPosition - 1
        if exponent >= -4 && exponent < 16 {
            if pointPosition <= 0 {
                return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
            }
            if pointPosition >= digits.count {
                digits += String(repeating: "0", count: pointPosition - digits.count)
                return sign + digits + ".0"
            }
            let split = digits.index(digits.startIndex, offsetBy: pointPosition)
            return sign + digits[..<split] + "." + digits[split...]
        }
        let first = String(digits.prefix(1))
        let rest = String(digits.dropFirst())
        let exponentDigits = String(abs(exponent))
        let paddedExponent = (exponentDigits.count < 2 ? "0" : "") + exponentDigits
        return sign + first + (rest.isEmpty ? "" : "." + rest) + "e" + (exponent < 0 ? "-" : "+") + paddedExponent
    }

    /// The significant digits of Swift's shortest round-trip description (no leading or trailing zeros) and
    /// where the decimal point goes: `value = 0.digits × 10^pointPosition`.
    private static func shortestDigits(_ magnitude: Double) -> (digits: String, pointPosition: Int) {
        let text = magnitude.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts.first.map(String.init) ?? text
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        var digits = mantissa.filter(\.isNumber)
        var pointPosition = (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) }
            ?? mantissa.count) + exponent
        while digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (digits, pointPosition)
    }
}
