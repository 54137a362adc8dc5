#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NextTokenCore

/// Builds a GGUF file in memory: metadata in insertion order, then tensors laid out in
/// insertion order, each starting on an `alignment` boundary.
///
/// The writer records what it is given without judging it (a tensor's data need not match its
/// shape, the version may be unsupported), so tests can build invalid files as well as valid
/// ones; ``GGUFFile`` is the judge.
public struct GGUFWriter: Sendable {
    private struct PendingTensor: Sendable {
        var name: String
        var dimensions: [Int]
        var type: GGMLType
        var data: [UInt8]
    }

    /// The version written in the header.
    public let version: UInt32
    /// The alignment of the data section and of every tensor's data.
    public let alignment: Int
    private var keys: [String] = []
    private var values: [String: GGUFValue] = [:]
    private var tensors: [PendingTensor] = []

    /// A writer for a file of `version` whose tensor data is aligned to `alignment` bytes.
    ///
    /// When `alignment` is not 32 and no `general.alignment` is set, the writer adds it.
    /// - Precondition: `alignment` is a positive power of two.
    public init(version: UInt32 = 3, alignment: Int = GGUFFile.defaultAlignment) {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0,
                     "GGUF alignment must be a positive power of two")
        self.version = version
        self.alignment = alignment
    }

    /// Sets `key` to `value`, replacing an earlier value but keeping the key's first position.
    /// - Precondition: the elements of every array in `value` share one type.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        precondition(Self.isHomogeneous(value), "GGUF array elements must all have one type")
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
    }

    /// Appends a tensor with `dimensions` innermost first and its raw `data`.
    public mutating func addTensor(name: String, dimensions: [Int], type: GGMLType, data: [UInt8]) {
        tensors.append(PendingTensor(name: name, dimensions: dimensions, type: type, data: data))
    }

    /// The complete file.
    public func bytes() -> [UInt8] {
        var pairs = keys.compactMap { key in values[key].map { (key, $0) } }
        if alignment != GGUFFile.defaultAlignment && values[GGUFFile.alignmentKey] == nil {
            pairs.append((GGUFFile.alignmentKey, .uint32(UInt32(truncatingIfNeeded: alignment))))
        }
        var writer = GGUFByteWriter()
        writer.append(GGUFParser.magic)
        writer.append(version)
        writer.append(UInt64(tensors.count))
        writer.append(UInt64(pairs.count))
        for (key, value) in pairs {
            writer.append(key)
            writer.appendTyped(value)
        }
        var relativeOffset = 0
        for tensor in tensors {
            writer.append(tensor.name)
            writer.append(UInt32(tensor.dimensions.count))
            for size in tensor.dimensions { writer.append(Int64(size)) }
            writer.append(tensor.type.rawValue)
            writer.append(UInt64(relativeOffset))
            relativeOffset += (tensor.data.count + alignment - 1) / alignment * alignment
        }
        writer.pad(to: alignment)
        for tensor in tensors {
            writer.append(contentsOf: tensor.data)
            writer.pad(to: alignment)
        }
        return writer.bytes
    }

    /// Writes the file to `path`, replacing any file there.
    /// - Throws: `.cannotWrite` with the system's reason.
    public func write(to path: String) throws(GGUFError) {
        guard let stream = fopen(path, "wb") else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        let contents = bytes()
        let written = contents.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, stream) }
        let writeError = errno
        let closed = fclose(stream) == 0
        guard written == contents.count else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(writeError)))
        }
        guard closed else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Whether every array in `value`, at any depth, has elements of a single type.
    private static func isHomogeneous(_ value: GGUFValue) -> Bool {
        guard case .array(let elements) = value, let first = elements.first else { return true }
        return elements.allSatisfy { $0.valueType == first.valueType && isHomogeneous($0) }
    }
}
