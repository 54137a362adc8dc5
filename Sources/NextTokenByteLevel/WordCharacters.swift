/// What counts as part of a word for next-word completion: letters, digits and `_` (so an
/// identifier in code is one word), decoded from UTF-8 bytes.
public enum WordCharacters {
    /// Whether `scalar` is part of a word.
    public static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// What the bytes at an offset hold.
    enum Decoded: Equatable {
        /// A valid scalar of `width` bytes.
        case scalar(Unicode.Scalar, width: Int)
        /// The start of a scalar whose remaining bytes are missing (the bytes end too early).
        case incomplete
        /// A byte that starts no valid scalar.
        case invalid
    }

    /// The scalar starting at `offset` of `bytes`.
    static func decode(_ bytes: [UInt8], at offset: Int) -> Decoded {
        guard offset < bytes.count else { return .incomplete }
        let end = min(bytes.count, offset + 4)
        var iterator = bytes[offset..<end].makeIterator()
        var decoder = Unicode.UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) {
            return .scalar(scalar, width: Unicode.UTF8.width(scalar))
        }
        let lead = bytes[offset]
        guard lead >= 0xC2, lead <= 0xF4 else { return .invalid }
        let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        let tail = bytes[(offset + 1)..<end]
        if bytes.count - offset < width, tail.allSatisfy(isContinuation) { return .incomplete }
        return .invalid
    }

    /// The scalar that ends exactly at `offset` of `bytes`, if the bytes there are valid UTF-8.
    static func scalar(_ bytes: [UInt8], endingAt offset: Int) -> Unicode.Scalar? {
        var start = offset - 1
        while start > 0, start > offset - 4, isContinuation(bytes[start]) { start -= 1 }
        guard start >= 0, case .scalar(let scalar, let width) = decode(bytes, at: start), start + width == offset else {
            return nil
        }
        return scalar
    }

    /// Whether `byte` is a UTF-8 continuation byte (`10xxxxxx`).
    static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
}
