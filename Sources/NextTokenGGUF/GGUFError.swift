import NextTokenCore

/// Why a GGUF file could not be read or written, with the evidence needed to find the fault.
///
/// Offsets are byte offsets from the start of the file. Every malformed input the reader can
/// meet ends in one of these cases; none of them traps.
public enum GGUFError: Error, Equatable, CustomStringConvertible {
    /// The file does not start with the bytes `GGUF`.
    case badMagic
    /// The version is not 2 or 3 (version 1 and big-endian files are not supported).
    case unsupportedVersion(UInt32)
    /// The file ends before a field: `needed` bytes were required at `offset`.
    case truncated(offset: Int, needed: Int)
    /// A count read from the file (`field`) cannot fit in the bytes that remain, even at the
    /// smallest size of each item: the count is corrupt or the file is cut short.
    case countTooLarge(field: String, value: UInt64)
    /// A metadata value type code that GGUF does not define.
    case unknownValueType(raw: UInt32, offset: Int)
    /// Arrays nested deeper than ``GGUFFile/maximumArrayDepth`` levels.
    case nestingTooDeep(offset: Int)
    /// A tensor type code that is unknown, or whose block layout this engine does not know.
    case unknownTensorType(raw: UInt32, tensor: String)
    /// A tensor's data does not lie inside the file.
    case tensorOutOfBounds(name: String)
    /// Two tensors' data ranges overlap.
    case tensorOverlap(first: String, second: String)
    /// A tensor's data offset (relative to the data section) is not a multiple of the alignment.
    case misalignedTensor(name: String, offset: Int)
    /// `general.alignment` is zero or not a power of two.
    case badAlignment(UInt64)
    /// A metadata key appears twice.
    case duplicateKey(String)
    /// A tensor name appears twice.
    case duplicateTensor(String)
    /// A string at `offset` is not valid UTF-8.
    case invalidUTF8(offset: Int)
    /// A tensor has no dimensions, more than four, a negative one, or too many elements.
    case badDimensions(tensor: String)
    /// A tensor's row length (first dimension) is not a whole number of blocks of its type.
    case partialBlock(tensor: String, rowLength: Int, blockElementCount: Int)
    /// A required metadata key is absent.
    case missingKey(String)
    /// A metadata value does not have the type the caller asked for.
    case wrongType(key: String, expected: String)
    /// The file could not be opened or mapped.
    case cannotOpen(path: String, reason: String)
    /// The file could not be written.
    case cannotWrite(path: String, reason: String)

    /// A one-line English explanation naming what is wrong.
    public var description: String {
        switch self {
        case .badMagic:
            "not a GGUF file: the first four bytes are not \"GGUF\""
        case .unsupportedVersion(let version):
            if (1...3).contains(version.byteSwapped) {
                "unsupported GGUF version \(version): the file looks big-endian, which is not supported"
            } else {
                "unsupported GGUF version \(version): only versions 2 and 3 can be read"
            }
        case .truncated(let offset, let needed):
            "GGUF file is truncated: \(needed) more bytes needed at offset \(offset)"
        case .countTooLarge(let field, let value):
            "GGUF \(field) \(value) is more than the rest of the file can hold (corrupt or truncated file)"
        case .unknownValueType(let raw, let offset):
            "unknown GGUF metadata value type \(raw) at offset \(offset)"
        case .nestingTooDeep(let offset):
            "GGUF arrays nested more than \(GGUFFile.maximumArrayDepth) deep at offset \(offset)"
        case .unknownTensorType(let raw, let tensor):
            if let type = GGMLType(rawValue: raw) {
                "tensor \(tensor) has type \(type.name), whose block layout is not supported"
            } else {
                "tensor \(tensor) has unknown ggml type \(raw)"
            }
        case .tensorOutOfBounds(let name):
            "tensor \(name) has data outside the file"
        case .tensorOverlap(let first, let second):
            "tensors \(first) and \(second) have overlapping data"
        case .misalignedTensor(let name, let offset):
            "tensor \(name) has data offset \(offset), which is not a multiple of the alignment"
        case .badAlignment(let alignment):
            "GGUF alignment \(alignment) is not a nonzero power of two"
        case .duplicateKey(let key):
            "GGUF metadata key \(key) appears more than once"
        case .duplicateTensor(let name):
            "GGUF tensor \(name) appears more than once"
        case .invalidUTF8(let offset):
            "GGUF string at offset \(offset) is not valid UTF-8"
        case .badDimensions(let tensor):
            "tensor \(tensor) has invalid dimensions (need 1 to 4 non-negative sizes with a representable product)"
        case .partialBlock(let tensor, let rowLength, let blockElementCount):
            "tensor \(tensor) has rows of \(rowLength) elements, not a multiple of its block size \(blockElementCount)"
        case .missingKey(let key):
            "GGUF metadata key \(key) is missing"
        case .wrongType(let key, let expected):
            "GGUF metadata key \(key) is not \(expected)"
        case .cannotOpen(let path, let reason):
            "cannot open GGUF file \(path): \(reason)"
        case .cannotWrite(let path, let reason):
            "cannot write GGUF file \(path): \(reason)"
        }
    }
}
