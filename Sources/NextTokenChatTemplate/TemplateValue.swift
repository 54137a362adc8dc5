/// A value a chat template works with: the JSON-like data passed in (messages, tools) plus what Jinja adds
/// (undefined values, namespaces, macros and functions).
///
/// Semantics follow Python and jinja2, not Swift: strings are compared and measured in Unicode scalars,
/// dictionaries keep insertion order, integers and floats print as Python prints them.
public enum TemplateValue: Sendable {
    /// A missing variable, attribute or item. It prints as `""` and is falsy; most other uses raise an
    /// error with this message (e.g. `'dict object' has no attribute 'content'`).
    case undefined(String)
    /// Python's `None` (JSON `null`).
    case none
    /// A boolean.
    case bool(Bool)
    /// An integer (64-bit; overflow is an error rather than a promotion to big integers).
    case int(Int)
    /// A float.
    case double(Double)
    /// A string.
    case string(String)
    /// A list (tuples are lists too).
    case array([TemplateValue])
    /// A dictionary in insertion order.
    case dictionary(TemplateDictionary)
    /// A `namespace()` object, whose attributes templates may assign.
    case namespace(TemplateNamespace)
    /// A macro, built-in function or bound method.
    case callable(TemplateCallable)

    /// A dictionary of `pairs`, in order.
    public static func object(_ pairs: KeyValuePairs<String, TemplateValue>) -> TemplateValue {
        var dictionary = TemplateDictionary()
        for (key, value) in pairs { dictionary[key] = value }
        return .dictionary(dictionary)
    }

    /// Python truthiness: `None`, undefined, `False`, zero and empty containers are false.
    public var isTruthy: Bool {
        switch self {
        case .undefined, .none: false
        case .bool(let value): value
        case .int(let value): value != 0
        case .double(let value): value != 0
        case .string(let value): !value.isEmpty
        case .array(let items): !items.isEmpty
        case .dictionary(let dictionary): !dictionary.isEmpty
        case .namespace, .callable: true
        }
    }

    /// Whether this is an undefined value.
    public var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// Python's name for the value's type, as used in error messages.
    public var typeName: String {
        switch self {
        case .undefined: "Undefined"
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "str"
        case .array: "list"
        case .dictionary: "dict"
        case .namespace: "Namespace"
        case .callable: "function"
        }
    }

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number as a float, for ints, floats and booleans.
    var numericValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    /// The number as an integer, for ints and booleans (Python treats `True` as 1).
    var integerValue: Int? {
        switch self {
        case .int(let value): value
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .none }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        var dictionary = TemplateDictionary()
        for (key, value) in elements { dictionary[key] = value }
        self = .dictionary(dictionary)
    }
}

extension TemplateValue: Equatable {
    /// Python `==`: numbers compare by value (`1 == 1.0 == True`), strings scalar by scalar (no Unicode
    /// normalisation), containers element-wise, dictionaries regardless of order, undefined equals undefined.
    public static func == (lhs: TemplateValue, rhs: TemplateValue) -> Bool {
        switch (lhs, rhs) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let a), .string(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.array(let a), .array(let b)): return a == b
        case (.dictionary(let a), .dictionary(let b)): return a == b
        case (.namespace(let a), .namespace(let b)): return a === b
        case (.callable(let a), .callable(let b)): return a === b
        default:
            if let a = lhs.integerValue, let b = rhs.integerValue { return a == b }
            if let a = lhs.numericValue, let b = rhs.numericValue { return a == b }
            return false
        }
    }
}

/// The object `namespace(...)` returns: attributes a template may read and assign across loop iterations.
public final class TemplateNamespace: @unchecked Sendable {
    // Invariant: a namespace is created by the renderer during one `render` call and is only read or
    // written by that call, on the calling thread; it never escapes the call (renders return strings).
    var attributes: TemplateDictionary

    init(attributes: TemplateDictionary) {
        self.attributes = attributes
    }
}
