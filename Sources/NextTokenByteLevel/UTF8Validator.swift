/// Tracks whether a growing byte string can still be valid UTF-8, and which bytes may come next
/// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
public struct UTF8Validator: Sendable, Equatable {
    /// Continuation bytes the current character still needs.
    public private(set) var pending = 0
    private var low: UInt8 = 0x80
    private var high: UInt8 = 0xBF

    /// A validator at the start of a string.
    public init() {}

    /// Whether the bytes so far end at a character boundary.
    public var isComplete: Bool { pending == 0 }

    /// Whether `byte` keeps the string valid.
    public func allows(_ byte: UInt8) -> Bool {
        if pending > 0 { return byte >= low && byte <= high }
        switch byte {
        case 0x00...0x7F, 0xC2...0xF4: return true
        default: return false
        }
    }

    /// Appends `byte`; a byte that ``allows(_:)`` rejects restarts the validator after it (the
    /// string is then invalid at that byte).
    public mutating func consume(_ byte: UInt8) {
        guard allows(byte) else {
            pending = 0
            return
        }
        if pending > 0 {
            pending -= 1
            (low, high) = (0x80, 0xBF)
            return
        }
        switch byte {
        case 0xC2...0xDF: (pending, low, high) = (1, 0x80, 0xBF)
        case 0xE0: (pending, low, high) = (2, 0xA0, 0xBF)
        case 0xED: (pending, low, high) = (2, 0x80, 0x9F)
        case 0xE1...0xEF: (pending, low, high) = (2, 0x80, 0xBF)
        case 0xF0: (pending, low, high) = (3, 0x90, 0xBF)
        case 0xF4: (pending, low, high) = (3, 0x80, 0x8F)
        case 0xF1...0xF3: (pending, low, high) = (3, 0x80, 0xBF)
        default: break
        }
    }
}
