/// A dictionary that keeps keys in insertion order, as Python's `dict` does.
///
/// Keys follow Python hashing: strings match scalar for scalar (no Unicode normalisation), and
/// `1`, `1.0` and `True` are the same key. Lists, dictionaries and other values cannot be keys.
public struct TemplateDictionary: Sendable, Equatable {
    /// The keys, in insertion order.
    public private(set) var keys: [TemplateValue] = []
    /// The values, parallel to `keys`.
    public private(set) var values: [TemplateValue] = []
    private var positions: [TemplateDictionaryKey: Int] = [:]

    /// An empty dictionary.
    public init() {}

    /// The number of entries.
    public var count: Int { keys.count }
    /// Whether there are no entries.
    public var isEmpty: Bool { keys.isEmpty }

    /// The value for a string key; setting `nil` is not supported (dictionaries in templates are immutable),
    /// so assigning `nil` stores `None`.
    public subscript(key: String) -> TemplateValue? {
        get { value(forHashable: .text(ScalarString(key))) }
        set { insert(key: .string(key), hashable: .text(ScalarString(key)), value: newValue ?? TemplateValue.none) }
    }

    /// The value for `key`, or `nil` when the key is absent or cannot be a key.
    func value(for key: TemplateValue) -> TemplateValue? {
        guard let hashable = TemplateDictionaryKey(key) else { return nil }
        return value(forHashable: hashable)
    }

    /// Whether `key` is present (unhashable keys are reported by the caller).
    func contains(_ key: TemplateValue) -> Bool { value(for: key) != nil }

    /// Inserts or replaces; a replaced key keeps its original position, as in Python.
    /// - Returns: `false` when `key` cannot be a dictionary key.
    @discardableResult
    mutating func insert(_ value: TemplateValue, for key: TemplateValue) -> Bool {
        guard let hashable = TemplateDictionaryKey(key) else { return false }
        insert(key: key, hashable: hashable, value: value)
        return true
    }

    private func value(forHashable key: TemplateDictionaryKey) -> TemplateValue? {
        positions[key].map { values[$0] }
    }

    private mutating func insert(key: TemplateValue, hashable: TemplateDictionaryKey, value: TemplateValue) {
        if let position = positions[hashable] {
            values[position] = value
        } else {
            positions[hashable] = keys.count
            keys.append(key)
            values.append(value)
        }
    }

    /// Python `==`: same keys mapping to equal values, whatever the order.
    public static func == (lhs: TemplateDictionary, rhs: TemplateDictionary) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in zip(lhs.keys, lhs.values) {
            guard let other = rhs.value(for: key), other == value else { return false }
        }
        return true
    }
}

/// A hashable form of the template values that may be dictionary keys.
enum TemplateDictionaryKey: Hashable {
    case none
    case integer(Int)
    case float(UInt64)
    case text(ScalarString)

    /// `nil` for values Python cannot hash (lists, dictionaries, namespaces, undefined).
    init?(_ value: TemplateValue) {
        switch value {
        case .none: self = .none
        case .bool(let flag): self = .integer(flag ? 1 : 0)
        case .int(let number): self = .integer(number)
        case .double(let number):
            if number.rounded() == number, let exact = Int(exactly: number) {
                self = .integer(exact)
            } else {
                self = .float(number.bitPattern)
            }
        case .string(let text): self = .text(ScalarString(text))
        case .undefined, .array, .dictionary, .namespace, .callable: return nil
        }
    }
}

/// A string compared and hashed scalar by scalar, as Python does (Swift's `String` equality applies
/// canonical equivalence, so `"é"` would equal `"e\u{301}"`).
struct ScalarString: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (lhs: ScalarString, rhs: ScalarString) -> Bool {
        lhs.text.unicodeScalars.elementsEqual(rhs.text.unicodeScalars)
    }

    func hash(into hasher: inout Hasher) {
        for scalar in text.unicodeScalars { hasher.combine(scalar.value) }
        hasher.combine(0xFFFF_FFFF as UInt32)
    }
}
