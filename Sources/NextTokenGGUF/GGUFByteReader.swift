/// A cursor over a file's bytes that checks every read against the end of the file.
///
/// Reads are little-endian and unaligned. A read that would pass the end throws `.truncated`
/// with the offset and the number of bytes it needed; nothing here traps on bad input.
struct GGUFByteReader {
    private let bytes: UnsafeRawBufferPointer
    /// Offset of the next byte to read; always `0...count`.
    private(set) var offset: Int = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Total bytes in the file.
    var count: Int { bytes.count }

    /// Bytes between the cursor and the end of the file.
    var remaining: Int { count &- offset }

    /// Checks that `byteCount` more bytes exist, without consuming them.
    private func require(_ byteCount: Int) throws(GGUFError) {
        guard byteCount <= remaining else { throw .truncated(offset: offset, needed: byteCount) }
    }

    mutating func readUInt8() throws(GGUFError) -> UInt8 {
        try require(1)
        defer { offset &+= 1 }
        return bytes.load(fromByteOffset: offset, as: UInt8.self)
    }

    mutating func readUInt16() throws(GGUFError) -> UInt16 {
        try require(2)
        defer { offset &+= 2 }
        return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    mutating func readUInt32() throws(GGUFError) -> UInt32 {
        try require(4)
        defer { offset &+= 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func readUInt64() throws(GGUFError) -> UInt64 {
        try require(8)
        defer { offset &+= 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Reads a count and checks it with ``checkCount(_:field:minimumItemSize:)``.
    mutating func readCount(field: String, minimumItemSize: Int) throws(GGUFError) -> Int {
        try checkCount(readUInt64(), field: field, minimumItemSize: minimumItemSize)
    }

    /// Checks that `count` items of at least `minimumItemSize` bytes each could fit in the rest
    /// of the file, so that a caller may allocate for them.
    func checkCount(_ count: UInt64, field: String, minimumItemSize: Int) throws(GGUFError) -> Int {
        guard count <= UInt64(remaining / minimumItemSize) else {
            throw .countTooLarge(field: field, value: count)
        }
        return Int(count)
    }

    /// Reads a GGUF string: a 64-bit byte length, then that many bytes of UTF-8.
    mutating func readString() throws(GGUFError) -> String {
        let length = try readUInt64()
        guard length <= UInt64(remaining) else {
            if let needed = Int(exactly: length) { throw .truncated(offset: offset, needed: needed) }
            throw .countTooLarge(field: "string length", value: length)
        }
        let start = offset
        let byteCount = Int(length)
        let codeUnits = UnsafeRawBufferPointer(rebasing: bytes[start..<(start &+ byteCount)])
            .assumingMemoryBound(to: UInt8.self)
        guard let string = String(validating: codeUnits, as: UTF8.self) else {
            throw .invalidUTF8(offset: start)
        }
        offset &+= byteCount
        return string
    }
}
