/// Attribute, item and slice access and iteration, as jinja2's sandboxed environment resolves them:
/// `x.name` tries Python attributes (methods such as `items`) before dictionary keys, `x[key]` tries keys
/// before attributes, and anything missing is an undefined value (only using it further raises).
extension TemplateValue {
    static let dictionaryMethods: Set<String> = [
        "items", "keys", "values", "get", "copy", "pop", "popitem", "setdefault", "update", "clear", "fromkeys",
    ]
    static let listMethods: Set<String> = [
        "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "copy", "index", "count",
    ]

    /// `self.name`.
    func attribute(_ name: String) throws(TemplateFailure) -> TemplateValue {
        switch self {
        case .undefined(let message):
            throw .undefined(message)
        case .dictionary(let dictionary):
            if Self.dictionaryMethods.contains(name) { return .callable(TemplateCallable(.method(self, name))) }
            return dictionary[name] ?? missingAttribute(name)
        case .string:
            if TemplateMethods.stringMethods.contains(name) { return .callable(TemplateCallable(.method(self, name))) }
        case .array:
            if Self.listMethods.contains(name) { return .callable(TemplateCallable(.method(self, name))) }
        case .namespace(let namespace):
            return namespace.attributes[name] ?? missingAttribute(name)
        default:
            break
        }
        return missingAttribute(name)
    }

    /// `self[key]`.
    func item(_ key: TemplateValue) throws(TemplateFailure) -> TemplateValue {
        switch self {
        case .undefined(let message):
            throw .undefined(message)
        case .dictionary(let dictionary):
            if let value = dictionary.value(for: key) { return value }
        case .array(let items):
            if let index = key.integerValue {
                return Self.index(index, count: items.count).map { items[$0] } ?? missingElement(key)
            }
        case .string(let text):
            if let index = key.integerValue {
                let scalars = Array(text.unicodeScalars)
                return Self.index(index, count: scalars.count).map { .string(String(scalars[$0])) } ?? missingElement(key)
            }
        default:
            break
        }
        if case .string(let name) = key { return try attribute(name) }
        return missingElement(key)
    }

    private static func index(_ index: Int, count: Int) -> Int? {
        let resolved = index < 0 ? index + count : index
        return (0..<count).contains(resolved) ? resolved : nil
    }

    private var objectTypeDescription: String {
        if case .none = self { return "None" }
        if case .namespace = self { return "Namespace object" }
        return "\(typeName) object"
    }

    private func missingAttribute(_ name: String) -> TemplateValue {
        .undefined("\(PythonStringRepr.repr(objectTypeDescription)) has no attribute \(PythonStringRepr.repr(name))")
    }

    private func missingElement(_ key: TemplateValue) -> TemplateValue {
        .undefined("\(objectTypeDescription) has no element \(key.repr)")
    }

    /// `self[start:stop:step]` with Python's clamping. Unlike `[key]`, jinja2 slices with Python's own
    /// subscript, so slicing anything but a list or string raises.
    func slice(_ start: TemplateValue, _ stop: TemplateValue, _ step: TemplateValue) throws(TemplateFailure)
        -> TemplateValue
    {
        switch self {
        case .undefined(let message): throw .undefined(message)
        case .array, .string: break
        case .dictionary: throw .runtime("unhashable type: 'slice'")
        default: throw .runtime("'\(typeName)' object is not subscriptable")
        }
        func bound(_ value: TemplateValue) -> Int?? {
            if case .none = value { return .some(nil) }
            return value.integerValue.map { .some($0) }
        }
        guard let start = bound(start), let stop = bound(stop), let step = bound(step) else {
            throw .runtime("slice indices must be integers or None or have an __index__ method")
        }
        let stride = step ?? 1
        guard stride != 0 else { throw .runtime("slice step cannot be zero") }
        switch self {
        case .array(let items):
            return .array(Self.sliceIndices(count: items.count, start, stop, stride).map { items[$0] })
        case .string(let text):
            let scalars = Array(text.unicodeScalars)
            return .string(PythonText.string(Self.sliceIndices(count: scalars.count, start, stop, stride).map { scalars[$0] }))
        default:
            throw .runtime("'\(typeName)' object is not subscriptable")
        }
    }

    /// The indices `slice(start, stop, step).indices(count)` visits.
    private static func sliceIndices(count: Int, _ start: Int?, _ stop: Int?, _ step: Int) -> [Int] {
        let lower = step > 0 ? 0 : -1
        let upper = step > 0 ? count : count - 1
        func clamp(_ value: Int?, default defaultValue: Int) -> Int {
            guard let value else { return defaultValue }
            let shifted = value < 0 ? value + count : value
            return min(max(shifted, lower), upper)
        }
        var index = clamp(start, default: step > 0 ? lower : upper)
        let end = clamp(stop, default: step > 0 ? upper : lower)
        var indices: [Int] = []
        while step > 0 ? index < end : index > end {
            indices.append(index)
            index += step
        }
        return indices
    }

    /// What `for x in self` visits: list items, dictionary keys, string scalars; nothing for undefined.
    func iterated() throws(TemplateFailure) -> [TemplateValue] {
        switch self {
        case .array(let items): return items
        case .dictionary(let dictionary): return dictionary.keys
        case .string(let text): return text.unicodeScalars.map { .string(String($0)) }
        case .undefined: return []
        default: throw .runtime("'\(typeName)' object is not iterable")
        }
    }

    /// Python's `len()`; undefined values have length 0.
    func length() throws(TemplateFailure) -> Int {
        switch self {
        case .array(let items): return items.count
        case .dictionary(let dictionary): return dictionary.count
        case .string(let text): return text.unicodeScalars.count
        case .undefined: return 0
        default: throw .runtime("object of type '\(typeName)' has no len()")
        }
    }
}
