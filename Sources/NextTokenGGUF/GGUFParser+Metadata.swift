extension GGUFParser {
    /// Reads `count` key-value pairs, rejecting repeated keys.
    mutating func readMetadata(count: Int) throws(GGUFError) -> GGUFMetadata {
        var keys: [String] = []
        var values: [String: GGUFValue] = [:]
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
        for _ in 0..<count {
            let key = try reader.readString()
            guard values[key] == nil else { throw .duplicateKey(key) }
            let type = try readValueType()
            values[key] = try readValue(of: type, enclosingArrays: 0)
            keys.append(key)
        }
        return GGUFMetadata(keys: keys, values: values)
    }

    /// Reads a `gguf_type` code.
    private mutating func readValueType() throws(GGUFError) -> GGUFValueType {
        let offset = reader.offset
        let raw = try reader.readUInt32()
        guard let type = GGUFValueType(rawValue: raw) else {
            throw .unknownValueType(raw: raw, offset: offset)
        }
        return type
    }

    /// Reads one value of `type`; `enclosingArrays` counts the arrays it sits in.
    private mutating func readValue(
        of type: GGUFValueType, enclosingArrays: Int
    ) throws(GGUFError) -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try reader.readUInt8())
        case .int8: return .int8(Int8(bitPattern: try reader.readUInt8()))
        case .uint16: return .uint16(try reader.readUInt16())
        case .int16: return .int16(Int16(bitPattern: try reader.readUInt16()))
        case .uint32: return .uint32(try reader.readUInt32())
        case .int32: return .int32(Int32(bitPattern: try reader.readUInt32()))
        case .uint64: return .uint64(try reader.readUInt64())
        case .int64: return .int64(Int64(bitPattern: try reader.readUInt64()))
        case .float32: return .float32(Float(bitPattern: try reader.readUInt32()))
        case .float64: return .float64(Double(bitPattern: try reader.readUInt64()))
        case .bool: return .bool(try reader.readUInt8() != 0)
        case .string: return .string(try reader.readString())
        case .array: return try readArray(enclosingArrays: enclosingArrays)
        }
    }

    /// Reads an array: element type, 64-bit count, then the elements.
    private mutating func readArray(enclosingArrays: Int) throws(GGUFError) -> GGUFValue {
        guard enclosingArrays < GGUFFile.maximumArrayDepth else {
            throw .nestingTooDeep(offset: reader.offset)
        }
        let elementType = try readValueType()
        let count = try reader.readCount(field: "array length",
                                         minimumItemSize: elementType.minimumByteCount)
        var elements: [GGUFValue] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            elements.append(try readValue(of: elementType, enclosingArrays: enclosingArrays &+ 1))
        }
        return .array(elements)
    }
}
