import Foundation

extension TemplateValue {
    /// Decodes JSON (UTF-8) keeping object keys in file order, as Python's `json.loads` does.
    ///
    /// Integers that fit in `Int` become `.int`, other numbers `.double`; `NaN` and `Infinity` are accepted
    /// as Python accepts them.
    /// - Throws: ``ChatTemplateError/invalidJSON(_:at:)`` with the line and column of the problem.
    public init(jsonData: Data) throws(ChatTemplateError) {
        var parser = OrderedJSONParser(bytes: [UInt8](jsonData))
        self = try parser.parseDocument()
    }

    /// Decodes a JSON string; see ``init(jsonData:)``.
    public init(json: String) throws(ChatTemplateError) {
        var parser = OrderedJSONParser(bytes: Array(json.utf8))
        self = try parser.parseDocument()
    }
}

/// A small recursive-descent JSON parser producing ``TemplateValue``s with ordered dictionaries.
struct OrderedJSONParser {
    private let bytes: [UInt8]
    private var offset = 0
    private var depth = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(ChatTemplateError) -> TemplateValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }
        let value = try parseValue()
        skipWhitespace()
        guard offset == bytes.count else { throw failure("extra data after the JSON value") }
        return value
    }

    private mutating func parseValue() throws(ChatTemplateError) -> TemplateValue {
        skipWhitespace()
        guard offset < bytes.count else { throw failure("expected a value, got the end of the input") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try nested { (parser) throws(ChatTemplateError) in try parser.parseObject() }
        case UInt8(ascii: "["): return try nested { (parser) throws(ChatTemplateError) in try parser.parseArray() }
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .none
        case UInt8(ascii: "N"): try expectWord("NaN"); return .double(.nan)
        case UInt8(ascii: "I"): try expectWord("Infinity"); return .double(.infinity)
        case UInt8(ascii: "-") where bytes[offset...].starts(with: Array("-Infinity".utf8)):
            try expectWord("-Infinity")
            return .double(-.infinity)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("unexpected character")
        }
    }

    private mutating func nested(
        _ body: (inout OrderedJSONParser) throws(ChatTemplateError) -> TemplateValue
    ) throws(ChatTemplateError) -> TemplateValue {
        guard depth < TemplateLimits.nestingDepth else {
            throw .limitExceeded("JSON nested deeper than \(TemplateLimits.nestingDepth) levels", at: location())
        }
        depth += 1
        defer { depth -= 1 }
        return try body(&self)
    }

    private mutating func parseObject() throws(ChatTemplateError) -> TemplateValue {
        offset += 1
        var dictionary = TemplateDictionary()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { offset += 1; return .dictionary(dictionary) }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw failure("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw failure("expected ':'") }
            offset += 1
            dictionary[key] = try parseValue()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"): offset += 1; return .dictionary(dictionary)
            default: throw failure("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(ChatTemplateError) -> TemplateValue {
        offset += 1
        var items: [TemplateValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { offset += 1; return .array(items) }
        while true {
            items.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"): offset += 1; return .array(items)
            default: throw failure("expected ',' or ']'")
            }
        }
    }

    private mutating func parseNumber() throws(ChatTemplateError) -> TemplateValue {
        let start = offset
        var isInteger = true
        if peek() == UInt8(ascii: "-") { offset += 1 }
        guard let first = peek(), isDigit(first) else { throw failure("expected a digit") }
        if first == UInt8(ascii: "0") { offset += 1 } else { skipDigits() }
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            offset += 1
            guard let digit = peek(), isDigit(digit) else { throw failure("expected a digit after '.'") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            guard let digit = peek(), isDigit(digit) else { throw failure("expected a digit in the exponent") }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        if isInteger, let number = Int(text) { return .int(number) }
        guard let number = Double(text) else { throw failure("invalid number") }
        return .double(number)
    }

    private mutating func parseString() throws(ChatTemplateError) -> String {
        offset += 1
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else { throw failure("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                guard let text = String(validating: utf8, as: UTF8.self) else { throw failure("invalid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                offset += 1
                try parseEscape(into: &utf8)
            case ..<0x20:
                throw failure("control character in a string")
            default:
                utf8.append(byte)
                offset += 1
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(ChatTemplateError) {
        guard let byte = peek() else { throw failure("unterminated escape") }
        offset += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
            UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let replacement = simple[byte] { utf8.append(replacement); return }
        guard byte == UInt8(ascii: "u") else { throw failure("invalid escape") }
        var value = try parseHex4()
        if (0xD800..<0xDC00).contains(value) {
            guard bytes[offset...].starts(with: Array("\\u".utf8)) else { throw failure("lone surrogate") }
            offset += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw failure("lone surrogate") }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(value) {
            throw failure("lone surrogate")
        }
        guard let scalar = Unicode.Scalar(value) else { throw failure("invalid code point") }
        utf8 += Array(String(Character(scalar)).utf8)
    }

    private mutating func parseHex4() throws(ChatTemplateError) -> UInt32 {
        guard offset + 4 <= bytes.count,
              let value = UInt32(String(decoding: bytes[offset..<offset + 4], as: UTF8.self), radix: 16)
        else { throw failure("expected four hex digits") }
        offset += 4
        return value
    }

    private mutating func expectWord(_ word: String) throws(ChatTemplateError) {
        let utf8 = Array(word.utf8)
        guard bytes[offset...].starts(with: utf8) else { throw failure("unexpected character") }
        offset += utf8.count
    }

    private func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }
    private func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { offset += 1 }
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { offset += 1 }
    }

    private func location() -> TemplateSourceLocation {
        let before = bytes[..<min(offset, bytes.count)]
        let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let column = String(decoding: bytes[lineStart..<before.endIndex], as: UTF8.self).unicodeScalars.count + 1
        return TemplateSourceLocation(line: line, column: column)
    }

    private func failure(_ message: String) -> ChatTemplateError {
        .invalidJSON(message, at: location())
    }
}
