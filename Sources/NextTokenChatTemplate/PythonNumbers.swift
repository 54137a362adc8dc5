import Foundation

/// Number conversions of jinja2's `int`, `float` and `round` filters, with Python's parsing and rounding.
enum PythonNumbers {
    /// jinja2's `int`: Python's `int(value)` (strings in `base`), else `int(float(value))`, else `default`.
    static func int(_ value: TemplateValue, default defaultValue: TemplateValue, base: Int) throws(TemplateFailure)
        -> TemplateValue
    {
        switch value {
        case .int, .bool: return .int(value.integerValue ?? 0)
        case .double(let number): return try truncated(number) ?? defaultValue
        case .string(let text):
            if let number = parseInteger(text, base: base) { return .int(number) }
            if let number = parseFloat(text) { return try truncated(number) ?? defaultValue }
            return defaultValue
        default:
            return defaultValue
        }
    }

    private static func truncated(_ number: Double) throws(TemplateFailure) -> TemplateValue? {
        if number.isNaN { return nil }
        guard let exact = Int(exactly: number.rounded(.towardZero)) else {
            throw .runtime("cannot convert float \(PythonFloat.repr(number)) to a 64-bit integer")
        }
        return .int(exact)
    }

    /// jinja2's `float`: Python's `float(value)`, or `nil` where Python raises.
    static func float(_ value: TemplateValue) -> TemplateValue? {
        switch value {
        case .int, .bool, .double: return value.numericValue.map { .double($0) }
        case .string(let text): return parseFloat(text).map { .double($0) }
        default: return nil
        }
    }

    /// Python's `int(text, base)`: surrounding whitespace, a sign, `_` between digits, `0x`/`0o`/`0b` prefixes
    /// matching the base (any of them with base 0).
    static func parseInteger(_ text: String, base: Int) -> Int? {
        var body = PythonText.strip(text)
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body.removeFirst()
        }
        var radix = base
        let lower = body.lowercased()
        for (prefix, prefixRadix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
            if base == 0 || base == prefixRadix {
                radix = prefixRadix
                body.removeFirst(2)
                if body.first == "_" { body.removeFirst() }
            }
        }
        if radix == 0 { radix = 10 }
        guard (2...36).contains(radix), !body.isEmpty, body.first != "_", body.last != "_", !body.contains("__"),
              body.allSatisfy({ $0.isASCII })
        else { return nil }
        guard let magnitude = Int(body.replacingOccurrences(of: "_", with: ""), radix: radix) else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// Python's `float(text)`: whitespace, sign, digits with `_`, exponents, `inf`, `infinity`, `nan`.
    static func parseFloat(_ text: String) -> Double? {
        let body = PythonText.strip(text)
        let lower = body.lowercased()
        let unsigned = lower.hasPrefix("+") || lower.hasPrefix("-") ? String(lower.dropFirst()) : lower
        let negative = lower.hasPrefix("-")
        if unsigned == "inf" || unsigned == "infinity" { return negative ? -.infinity : .infinity }
        if unsigned == "nan" { return .nan }
        guard !unsigned.isEmpty, unsigned.allSatisfy({ $0.isASCII && ($0.isNumber || "._e+-".contains($0)) }),
              unsigned.first != "_", !unsigned.contains("__")
        else { return nil }
        return Double(body.replacingOccurrences(of: "_", with: ""))
    }

    /// jinja2's `round(value, precision, method)`: `common` is Python's `round` (half to even on the exact
    /// binary value; ints stay ints), `ceil`/`floor` always give floats.
    static func round(_ value: TemplateValue, precision: Int, method: String) throws(TemplateFailure) -> TemplateValue {
        if case .undefined(let message) = value { throw .undefined(message) }
        guard let number = value.numericValue else {
            throw .runtime("type \(value.typeName) doesn't define __round__ method")
        }
        guard abs(precision) <= 300 else { throw .runtime("round precision out of range") }
        let scale = Foundation.pow(10.0, Double(precision))
        switch method {
        case "common":
            if let integer = value.integerValue {
                guard precision < 0 else { return .int(integer) }
                let step = Double(scale)
                return .int(Int((Double(integer) * step).rounded(.toNearestOrEven) / step))
            }
            guard number.isFinite else { return .double(number) }
            if precision >= 0 {
                return .double(Double(String(format: "%.\(precision)f", number)) ?? number)
            }
            return .double((number * scale).rounded(.toNearestOrEven) / scale)
        case "ceil":
            return .double((number * scale).rounded(.up) / scale)
        case "floor":
            return .double((number * scale).rounded(.down) / scale)
        default:
            throw .runtime("method must be common, ceil or floor")
        }
    }
}
