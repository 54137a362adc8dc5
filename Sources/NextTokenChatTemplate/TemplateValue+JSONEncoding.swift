/// Python's `json.dumps`, as transformers' `tojson` filter calls it: keys in insertion order, separators
/// `", "` and `": "` (`","` at line ends with `indent`), no HTML escaping, non-ASCII written as-is unless
/// `ensureASCII`, Python number formatting, empty containers on one line.
struct PythonJSONEncoder {
    var ensureASCII = false
    /// The text of one indentation level; `nil` writes everything on one line.
    var indent: String?
    var itemSeparator: String?
    var keySeparator = ": "
    var sortKeys = false

    func encode(_ value: TemplateValue) throws(TemplateFailure) -> String {
        var out = ""
        try write(value, level: 0, into: &out)
        return out
    }

    private var resolvedItemSeparator: String { itemSeparator ?? (indent == nil ? ", " : ",") }

    private func write(_ value: TemplateValue, level: Int, into out: inout String) throws(TemplateFailure) {
        guard level < TemplateLimits.nestingDepth else { throw .limit("tojson: nesting deeper than the limit") }
        guard out.utf8.count <= TemplateLimits.outputBytes else { throw .limit("tojson: output too large") }
        switch value {
        case .none: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .double(let number): out += Self.number(number)
        case .string(let text): writeString(text, into: &out)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "["
            for (offset, item) in items.enumerated() {
                out += offset == 0 ? newline(level + 1) : resolvedItemSeparator + newline(level + 1)
                try write(item, level: level + 1, into: &out)
            }
            out += newline(level) + "]"
        case .dictionary(let dictionary):
            guard !dictionary.isEmpty else { out += "{}"; return }
            var entries: [(key: String, value: TemplateValue)] = []
            for (key, item) in zip(dictionary.keys, dictionary.values) {
                entries.append((try Self.keyText(key), item))
            }
            if sortKeys { entries.sort { PythonText.less($0.key, $1.key) } }
            out += "{"
            for (offset, entry) in entries.enumerated() {
                out += offset == 0 ? newline(level + 1) : resolvedItemSeparator + newline(level + 1)
                writeString(entry.key, into: &out)
                out += keySeparator
                try write(entry.value, level: level + 1, into: &out)
            }
            out += newline(level) + "}"
        case .undefined(let message):
            throw .undefined(message)
        case .namespace, .callable:
            throw .runtime("Object of type \(value.typeName) is not JSON serializable")
        }
    }

    private func newline(_ level: Int) -> String {
        guard let indent else { return "" }
        return "\n" + String(repeating: indent, count: level)
    }

    /// Python's JSON form of a float: its repr, or `NaN` / `Infinity` / `-Infinity`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return PythonFloat.repr(value)
    }

    /// Dictionary keys become strings the way `json.dumps` converts them.
    private static func keyText(_ key: TemplateValue) throws(TemplateFailure) -> String {
        switch key {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return number.isFinite ? PythonFloat.repr(number) : Self.number(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .none: return "null"
        default: throw .runtime("keys must be str, int, float, bool or None, not \(key.typeName)")
        }
    }

    private func writeString(_ text: String, into out: inout String) {
        var view = String.UnicodeScalarView()
        view.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": view.append(contentsOf: "\\\"".unicodeScalars)
            case "\\": view.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": view.append(contentsOf: "\\n".unicodeScalars)
            case "\r": view.append(contentsOf: "\\r".unicodeScalars)
            case "\t": view.append(contentsOf: "\\t".unicodeScalars)
            case "\u{08}": view.append(contentsOf: "\\b".unicodeScalars)
            case "\u{0C}": view.append(contentsOf: "\\f".unicodeScalars)
            default:
                if scalar.value < 0x20 || (ensureASCII && scalar.value > 0x7E) {
                    view.append(contentsOf: Self.unicodeEscape(scalar).unicodeScalars)
                } else {
                    view.append(scalar)
                }
            }
        }
        view.append("\"")
        out.unicodeScalars.append(contentsOf: view)
    }

    /// `\uXXXX` in lower-case hex; scalars beyond the BMP as a UTF-16 surrogate pair.
    private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        func unit(_ value: UInt32) -> String {
            let hex = String(value, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        guard scalar.value > 0xFFFF else { return unit(scalar.value) }
        let offset = scalar.value - 0x10000
        return unit(0xD800 + (offset >> 10)) + unit(0xDC00 + (offset & 0x3FF))
    }
}
