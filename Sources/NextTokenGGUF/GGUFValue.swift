/// One metadata value of a GGUF file, in the type the file stores it.
///
/// The accessors (``int``, ``double``, ``strings``, …) convert between compatible cases, so a
/// caller need not care whether a writer chose `uint32` or `int64` for a count.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case uint64(UInt64)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    case bool(Bool)
    case string(String)
    /// An array whose elements all share one case (arrays may nest).
    case array([GGUFValue])
}

extension GGUFValue {
    /// The value of any integer case, if it fits in `Int`.
    public var int: Int? {
        switch self {
        case .uint8(let v): Int(v)
        case .int8(let v): Int(v)
        case .uint16(let v): Int(v)
        case .int16(let v): Int(v)
        case .uint32(let v): Int(v)
        case .int32(let v): Int(v)
        case .uint64(let v): Int(exactly: v)
        case .int64(let v): Int(exactly: v)
        default: nil
        }
    }

    /// The value of any numeric case (integer or floating point) as a `Double`.
    public var double: Double? {
        switch self {
        case .float32(let v): Double(v)
        case .float64(let v): v
        case .uint64(let v): Double(v)
        case .int64(let v): Double(v)
        default: int.map(Double.init)
        }
    }

    /// The value of a `bool`.
    public var bool: Bool? {
        if case .bool(let v) = self { v } else { nil }
    }

    /// The value of a `string`.
    public var string: String? {
        if case .string(let v) = self { v } else { nil }
    }

    /// The elements of an `array`.
    public var array: [GGUFValue]? {
        if case .array(let v) = self { v } else { nil }
    }

    /// The elements of an array of strings.
    public var strings: [String]? {
        guard let elements = array else { return nil }
        var result: [String] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let s) = element else { return nil }
            result.append(s)
        }
        return result
    }

    /// The elements of an array of integers, each fitting in `Int`.
    public var ints: [Int]? {
        guard let elements = array else { return nil }
        var result: [Int] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let v = element.int else { return nil }
            result.append(v)
        }
        return result
    }

    /// The elements of an array of numbers, as `Float`.
    public var floats: [Float]? {
        guard let elements = array else { return nil }
        var result: [Float] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            if case .float32(let v) = element {
                result.append(v)
            } else if let v = element.double {
                result.append(Float(v))
            } else {
                return nil
            }
        }
        return result
    }

    /// The GGUF spelling of this value's type (`uint32`, `string`, `array`, …).
    public var typeName: String { valueType.name }

    /// The on-disk type code of this value.
    var valueType: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .uint64: .uint64
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        case .array: .array
        }
    }
}
