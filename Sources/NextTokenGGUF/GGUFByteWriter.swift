/// Appends little-endian GGUF fields to a byte array.
struct GGUFByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ string: String) {
        append(UInt64(string.utf8.count))
        bytes.append(contentsOf: string.utf8)
    }

    mutating func append(contentsOf data: [UInt8]) {
        bytes.append(contentsOf: data)
    }

    /// Appends zeros until the length is a multiple of `alignment`.
    mutating func pad(to alignment: Int) {
        let remainder = bytes.count % alignment
        if remainder != 0 {
            bytes.append(contentsOf: repeatElement(0, count: alignment - remainder))
        }
    }

    /// Appends a value's type code and then its payload.
    mutating func appendTyped(_ value: GGUFValue) {
        append(value.valueType.rawValue)
        appendPayload(value)
    }

    /// Appends a value without its type code, as array elements are stored.
    mutating func appendPayload(_ value: GGUFValue) {
        switch value {
        case .uint8(let v): append(v)
        case .int8(let v): append(v)
        case .uint16(let v): append(v)
        case .int16(let v): append(v)
        case .uint32(let v): append(v)
        case .int32(let v): append(v)
        case .uint64(let v): append(v)
        case .int64(let v): append(v)
        case .float32(let v): append(v.bitPattern)
        case .float64(let v): append(v.bitPattern)
        case .bool(let v): append(UInt8(v ? 1 : 0))
        case .string(let v): append(v)
        case .array(let elements):
            // An empty array has no element to take a type from; any code reads back the same.
            append((elements.first?.valueType ?? .uint8).rawValue)
            append(UInt64(elements.count))
            for element in elements { appendPayload(element) }
        }
    }
}
