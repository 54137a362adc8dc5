/// The character classes that the pre-tokenizer regexes distinguish.
package enum ScalarClass: UInt8, Sendable {
    /// `\p{L}`: general category Lu, Ll, Lt, Lm or Lo.
    case letter
    /// `\p{N}`: general category Nd, Nl or No.
    case number
    /// `\s`: the Unicode White_Space property.
    case whitespace
    /// Everything else.
    case other

    /// The class of a scalar value (an invalid value counts as `other`).
    @inline(__always)
    package init(_ value: UInt32) {
        if value < 0x80 {
            self = Self.ascii(value)
            return
        }
        guard let scalar = Unicode.Scalar(value) else {
            self = .other
            return
        }
        let properties = scalar.properties
        if properties.isWhitespace {
            self = .whitespace
            return
        }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            self = .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            self = .number
        default:
            self = .other
        }
    }

    /// The class of an ASCII value: letters, digits, and White_Space `\t \n \v \f \r` and space
    /// (not U+001C–U+001F, which Python's `isspace` would include).
    @inline(__always)
    private static func ascii(_ value: UInt32) -> ScalarClass {
        switch value {
        case 0x41...0x5A, 0x61...0x7A: .letter
        case 0x30...0x39: .number
        case 0x09...0x0D, 0x20: .whitespace
        default: .other
        }
    }
}

/// A span of UTF-8 text decoded into scalars, each with its value, class and byte offset.
///
/// The pre-tokenizers scan `values` and `classes`; `byteOffsets` turns a scalar range back into
/// the byte range that the model encodes. Reused across segments to avoid reallocating.
package struct ClassifiedText: Sendable {
    /// The scalar values.
    package private(set) var values: [UInt32] = []
    /// The class of each scalar.
    package private(set) var classes: [ScalarClass] = []
    /// The byte offset of each scalar in the decoded bytes, plus one final entry: the byte count.
    package private(set) var byteOffsets: [Int] = [0]

    /// An empty text, ready for ``decode(_:)``.
    package init() {}

    /// Decodes `bytes` (expected to be valid UTF-8), replacing what was there before.
    ///
    /// A byte that does not start a well-formed sequence becomes one scalar U+FFFD of class
    /// `other`, so malformed input never traps.
    package mutating func decode(_ bytes: ArraySlice<UInt8>) {
        values.removeAll(keepingCapacity: true)
        classes.removeAll(keepingCapacity: true)
        byteOffsets.removeAll(keepingCapacity: true)
        let base = bytes.startIndex
        var index = base
        while index < bytes.endIndex {
            let (value, length) = Self.scalar(in: bytes, at: index)
            values.append(value)
            classes.append(ScalarClass(value))
            byteOffsets.append(index - base)
            index += length
        }
        byteOffsets.append(bytes.count)
    }

    /// The scalar value starting at `index` and its length in bytes, or U+FFFD and 1 when the
    /// bytes there are not a well-formed sequence.
    @inline(__always)
    package static func scalar(in bytes: ArraySlice<UInt8>, at index: Int) -> (UInt32, Int) {
        let lead = UInt32(bytes[index])
        if lead < 0x80 { return (lead, 1) }
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: (length, value) = (2, lead & 0x1F)
        case 0xE0...0xEF: (length, value) = (3, lead & 0x0F)
        case 0xF0...0xF4: (length, value) = (4, lead & 0x07)
        default: return (0xFFFD, 1)
        }
        guard bytes.endIndex - index >= length else { return (0xFFFD, 1) }
        for offset in 1..<length {
            let byte = UInt32(bytes[index + offset])
            guard byte & 0xC0 == 0x80 else { return (0xFFFD, 1) }
            value = value << 6 | (byte & 0x3F)
        }
        let smallest: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= smallest, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
            return (0xFFFD, 1)
        }
        return (value, length)
    }
}
