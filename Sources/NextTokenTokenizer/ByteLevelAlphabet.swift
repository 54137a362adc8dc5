/// GPT-2's reversible map between the 256 byte values and 256 printable characters.
///
/// Bytes `!`…`~`, `¡`…`¬` and `®`…`ÿ` stand for themselves; the other 68 bytes (controls, space,
/// DEL, the C1 range, NBSP and soft hyphen) map in increasing order to U+0100…U+0143, so space is
/// `Ġ` (U+0120) and line feed `Ċ` (U+010A). Byte-level vocabularies spell every token this way.
package enum ByteLevelAlphabet {
    /// The scalar value standing for each byte.
    package static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 0x100
        for byte in 0..<256 {
            if standsForItself(byte) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte each alphabet scalar stands for, indexed by scalar value below U+0144;
    /// -1 where a value is not in the alphabet.
    private static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() { table[Int(scalar)] = Int16(byte) }
        return table
    }()

    /// The byte a scalar stands for, or `nil` if it is not in the alphabet.
    @inline(__always)
    package static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = Int(scalar.value)
        guard value < byteForScalar.count else { return nil }
        let byte = byteForScalar[value]
        return byte < 0 ? nil : UInt8(byte)
    }

    /// The UTF-8 bytes of the character standing for `byte`: the text of that byte's token.
    package static func spellingBytes(of byte: UInt8) -> [UInt8] {
        let value = scalarForByte[Int(byte)]
        if value < 0x80 { return [UInt8(value)] }
        return [UInt8(0xC0 | value >> 6), UInt8(0x80 | value & 0x3F)]
    }

    /// The bytes a token text stands for. A character outside the alphabet (possible only in
    /// a malformed vocabulary) contributes its own UTF-8 bytes.
    package static func bytes(of text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if let byte = byte(for: scalar) {
                bytes.append(byte)
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    private static func standsForItself(_ byte: Int) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }
}
