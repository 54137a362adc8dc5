import NextTokenCore
import NextTokenGGUF

/// Small GGUF files built with the writer, and tools to corrupt them at known places.
enum GGUFFixtures {
    /// A valid file: three metadata pairs and two tensors.
    ///
    /// `alpha` is f32 [16, 2] (128 bytes) at relative offset 0; `beta` is q8_0 [32] (34 bytes)
    /// at relative offset 128.
    static func writer(version: UInt32 = 3, alignment: Int = 32) -> GGUFWriter {
        var writer = GGUFWriter(version: version, alignment: alignment)
        writer.set("general.architecture", .string("test"))
        writer.set("test.count", .uint32(7))
        writer.set("test.tokens", .array([.string("a"), .string("bc"), .string("")]))
        writer.addTensor(name: "alpha", dimensions: [16, 2], type: .f32, data: pattern(128, seed: 1))
        writer.addTensor(name: "beta", dimensions: [32], type: .q8_0, data: pattern(34, seed: 2))
        return writer
    }

    /// The bytes of ``writer(version:alignment:)``.
    static var valid: [UInt8] { writer().bytes() }

    /// `count` deterministic, varied bytes.
    static func pattern(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &* 17) }
    }

    /// Offset of the first byte after the GGUF string `string` (its 64-bit length and bytes).
    static func end(ofString string: String, in bytes: [UInt8]) -> Int? {
        var needle: [UInt8] = []
        withUnsafeBytes(of: UInt64(string.utf8.count).littleEndian) { needle.append(contentsOf: $0) }
        needle.append(contentsOf: string.utf8)
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle) {
            return start + needle.count
        }
        return nil
    }

    /// Where the fields of a tensor info lie, found from the tensor's name.
    struct TensorInfoLayout {
        /// Offset of the tensor's name string (its length prefix).
        var nameOffset: Int
        var dimensionCountOffset: Int
        var dimensionCount: Int
        var dimensionsOffset: Int { dimensionCountOffset + 4 }
        var typeOffset: Int { dimensionsOffset + 8 * dimensionCount }
        var dataOffsetOffset: Int { typeOffset + 4 }
    }

    static func tensorInfo(_ name: String, in bytes: [UInt8], dimensionCount: Int) -> TensorInfoLayout? {
        guard let end = end(ofString: name, in: bytes) else { return nil }
        return TensorInfoLayout(nameOffset: end - name.utf8.count - 8, dimensionCountOffset: end,
                                dimensionCount: dimensionCount)
    }
}

extension Array where Element == UInt8 {
    /// Overwrites `MemoryLayout<T>.size` bytes at `offset` with `value`, little-endian.
    mutating func overwrite<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        Swift.withUnsafeBytes(of: value.littleEndian) { source in
            for (index, byte) in source.enumerated() { self[offset + index] = byte }
        }
    }
}

/// The error `GGUFFile(bytes:)` throws, or `nil` if the bytes parse.
func parseError(_ bytes: [UInt8]) -> GGUFError? {
    do {
        _ = try GGUFFile(bytes: bytes)
        return nil
    } catch {
        return error
    }
}
