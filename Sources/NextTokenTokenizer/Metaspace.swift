/// SentencePiece's whitespace escape: vocabularies spell a space as `▁` (U+2581, "lower one
/// eighth block"), so the normalized text has no spaces and pieces can carry a word's leading
/// space.
package enum Metaspace {
    /// The UTF-8 bytes of U+2581.
    package static let utf8: [UInt8] = [0xE2, 0x96, 0x81]

    /// `bytes` with every space replaced by `▁`, after one `▁` when `addingPrefix` (the
    /// "dummy prefix" that makes the first word look like every other word). Empty input stays
    /// empty, prefix or not, as in SentencePiece.
    package static func escape(_ bytes: some Collection<UInt8>, addingPrefix: Bool) -> [UInt8] {
        var escaped: [UInt8] = []
        guard !bytes.isEmpty else { return escaped }
        escaped.reserveCapacity(bytes.count + 16)
        if addingPrefix { escaped += utf8 }
        for byte in bytes {
            if byte == 0x20 {
                escaped += utf8
            } else {
                escaped.append(byte)
            }
        }
        return escaped
    }

    /// The bytes of `text` with every `▁` turned back into a space.
    package static func unescape(_ text: String) -> [UInt8] {
        let source = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(source.count)
        var index = 0
        while index < source.count {
            // 0xE2 is always a lead byte, so this finds exactly the encoded U+2581 scalars.
            if source[index] == 0xE2, index + 2 < source.count,
               source[index + 1] == 0x96, source[index + 2] == 0x81 {
                bytes.append(0x20)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return bytes
    }
}
