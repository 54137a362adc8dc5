/// The key-value metadata of a GGUF file, in file order.
///
/// Look values up with the subscript when a key is optional, or with the throwing getters
/// (``int(_:)``, ``string(_:)``, …) when a key is required: they name the missing key or the
/// mismatched type in the error.
public struct GGUFMetadata: Sendable {
    /// Every key, in the order the file lists them.
    public let keys: [String]
    private let values: [String: GGUFValue]

    /// Metadata from pairs already known to have distinct keys.
    init(keys: [String], values: [String: GGUFValue]) {
        self.keys = keys
        self.values = values
    }

    /// The value stored under `key`, or `nil` if the file has no such key.
    public subscript(key: String) -> GGUFValue? { values[key] }

    /// The value stored under `key`.
    /// - Throws: `.missingKey` if absent.
    public func value(_ key: String) throws(GGUFError) -> GGUFValue {
        guard let value = values[key] else { throw .missingKey(key) }
        return value
    }

    /// An integer value that fits in `Int`, whatever integer width the file used.
    /// - Throws: `.missingKey` if absent, `.wrongType` otherwise.
    public func int(_ key: String) throws(GGUFError) -> Int {
        try convert(key, expected: "an integer", \.int)
    }

    /// A numeric value, integer or floating point, as a `Double`.
    public func double(_ key: String) throws(GGUFError) -> Double {
        try convert(key, expected: "a number", \.double)
    }

    /// A `bool` value.
    public func bool(_ key: String) throws(GGUFError) -> Bool {
        try convert(key, expected: "a bool", \.bool)
    }

    /// A `string` value.
    public func string(_ key: String) throws(GGUFError) -> String {
        try convert(key, expected: "a string", \.string)
    }

    /// The elements of an array value.
    public func array(_ key: String) throws(GGUFError) -> [GGUFValue] {
        try convert(key, expected: "an array", \.array)
    }

    /// The elements of an array of strings.
    public func strings(_ key: String) throws(GGUFError) -> [String] {
        try convert(key, expected: "an array of strings", \.strings)
    }

    /// The elements of an array of integers.
    public func ints(_ key: String) throws(GGUFError) -> [Int] {
        try convert(key, expected: "an array of integers", \.ints)
    }

    /// The elements of an array of numbers, as `Float`.
    public func floats(_ key: String) throws(GGUFError) -> [Float] {
        try convert(key, expected: "an array of numbers", \.floats)
    }

    private func convert<T>(
        _ key: String, expected: String, _ accessor: (GGUFValue) -> T?
    ) throws(GGUFError) -> T {
        guard let value = values[key] else { throw .missingKey(key) }
        guard let converted = accessor(value) else { throw .wrongType(key: key, expected: expected) }
        return converted
    }
}
