/// jinja2's filters over sequences and mappings.
extension TemplateFilters {
    static func applyCollectionFilter(_ name: String, _ value: TemplateValue, _ arguments: CallArguments)
        throws(TemplateFailure) -> TemplateValue
    {
        switch name {
        case "first", "last":
            _ = try arguments.bind([], function: name)
            let items = try value.iterated()
            let item = name == "first" ? items.first : items.last
            return item ?? .undefined("No \(name) item, sequence was empty.")
        case "list":
            _ = try arguments.bind([], function: name)
            return .array(try value.iterated())
        case "reverse":
            _ = try arguments.bind([], function: name)
            if case .string(let text) = value { return .string(PythonText.string(text.unicodeScalars.reversed())) }
            return .array(try value.iterated().reversed())
        case "join":
            let bound = try arguments.bind(["d", "attribute"], function: name)
            var items = try value.iterated()
            if let attribute = bound[1] { items = try items.map(attributeGetter(attribute)) }
            let joined = items.map(\.printed).joined(separator: bound[0]?.printed ?? "")
            return .string(try TemplateOperators.checkedSize(joined))
        case "items":
            _ = try arguments.bind([], function: name)
            switch value {
            case .dictionary(let dictionary): return .array(zip(dictionary.keys, dictionary.values).map { .array([$0, $1]) })
            case .undefined: return .array([])
            default: throw .runtime("Can only get item pairs from a mapping.")
            }
        case "dictsort":
            return try dictsort(value, arguments)
        case "attr":
            guard case .string(let attribute)? = try arguments.bind(["name"], function: name)[0] else {
                throw .runtime("attr() needs an attribute name")
            }
            if case .dictionary = value, !TemplateValue.dictionaryMethods.contains(attribute) {
                return .undefined("'dict object' has no attribute \(PythonStringRepr.repr(attribute))")
            }
            return try value.attribute(attribute)
        case "map":
            return try map(value, arguments)
        case "select", "reject", "selectattr", "rejectattr":
            return try select(name, value, arguments)
        case "sort", "unique", "min", "max":
            return try ordered(name, value, arguments)
        case "sum":
            let bound = try arguments.bind(["attribute", "start"], function: name)
            var total = bound[1] ?? .int(0)
            var items = try value.iterated()
            if let attribute = bound[0] { items = try items.map(attributeGetter(attribute)) }
            for item in items { total = try TemplateOperators.binary(.add, total, item) }
            return total
        default:
            throw .unsupported("the '\(name)' filter is not supported")
        }
    }

    /// jinja2's `make_attrgetter`: `"a.b.0"` looks up `item["a"]["b"][0]` (items first, then attributes).
    static func attributeGetter(_ attribute: TemplateValue, default defaultValue: TemplateValue? = nil)
        -> (TemplateValue) throws(TemplateFailure) -> TemplateValue
    {
        let parts: [TemplateValue]
        if case .string(let path) = attribute {
            parts = path.split(separator: ".", omittingEmptySubsequences: false).map { part in
                Int(part).map { .int($0) } ?? .string(String(part))
            }
        } else {
            parts = [attribute]
        }
        return { (item: TemplateValue) throws(TemplateFailure) -> TemplateValue in
            var current = item
            for part in parts {
                current = try current.item(part)
                if current.isUndefined, let defaultValue { return defaultValue }
            }
            return current
        }
    }

    private static func lowered(_ value: TemplateValue) -> TemplateValue {
        if case .string(let text) = value { return .string(PythonText.lower(text)) }
        return value
    }

    private static func dictsort(_ value: TemplateValue, _ arguments: CallArguments) throws(TemplateFailure) -> TemplateValue {
        let bound = try arguments.bind(["case_sensitive", "by", "reverse"], function: "dictsort")
        guard case .dictionary(let dictionary) = value else { throw .runtime("dictsort requires a mapping") }
        let caseSensitive = bound[0]?.isTruthy ?? false
        let byValue: Bool
        switch bound[1]?.stringValue ?? "key" {
        case "key": byValue = false
        case "value": byValue = true
        default: throw .runtime("You can only sort by either \"key\" or \"value\"")
        }
        let pairs = zip(dictionary.keys, dictionary.values).map { TemplateValue.array([$0, $1]) }
        return .array(try sorted(pairs, reverse: bound[2]?.isTruthy ?? false) { (pair: TemplateValue) throws(TemplateFailure) -> TemplateValue in
            let key = try pair.item(.int(byValue ? 1 : 0))
            return caseSensitive ? key : lowered(key)
        })
    }

    /// A stable sort by `key`, in Python order; `TypeError` when two keys cannot be compared.
    private static func sorted(
        _ items: [TemplateValue], reverse: Bool, key: (TemplateValue) throws(TemplateFailure) -> TemplateValue
    ) throws(TemplateFailure) -> [TemplateValue] {
        var keyed: [(key: TemplateValue, item: TemplateValue)] = []
        for item in items { keyed.append((try key(item), item)) }
        var incomparable: (TemplateValue, TemplateValue)?
        keyed.sort { lhs, rhs in
            let (first, second) = reverse ? (rhs.key, lhs.key) : (lhs.key, rhs.key)
            guard let order = TemplateOperators.orderIfComparable(first, second) else {
                incomparable = (first, second)
                return false
            }
            return order < 0
        }
        if let (first, second) = incomparable { _ = try TemplateOperators.order(first, second) }
        return keyed.map(\.item)
    }

    private static func ordered(_ name: String, _ value: TemplateValue, _ arguments: CallArguments)
        throws(TemplateFailure) -> TemplateValue
    {
        let parameters = name == "sort" ? ["reverse", "case_sensitive", "attribute"] : ["case_sensitive", "attribute"]
        let bound = try arguments.bind(parameters, function: name)
        let offset = name == "sort" ? 1 : 0
        let caseSensitive = bound[offset]?.isTruthy ?? false
        let getter = bound[offset + 1].map { attributeGetter($0) }
        let key = { (item: TemplateValue) throws(TemplateFailure) -> TemplateValue in
            let picked = try getter?(item) ?? item
            return caseSensitive ? picked : lowered(picked)
        }
        let items = try value.iterated()
        switch name {
        case "sort":
            return .array(try sorted(items, reverse: bound[0]?.isTruthy ?? false, key: key))
        case "unique":
            var seen: [TemplateValue] = []
            var unique: [TemplateValue] = []
            for item in items {
                let itemKey = try key(item)
                guard TemplateDictionaryKey(itemKey) != nil else { throw .runtime("unhashable type: '\(itemKey.typeName)'") }
                if !seen.contains(itemKey) {
                    seen.append(itemKey)
                    unique.append(item)
                }
            }
            return .array(unique)
        default:
            guard !items.isEmpty else { return .undefined("No aggregated item, sequence was empty.") }
            let ascending = try sorted(items, reverse: false, key: key)
            return (name == "min" ? ascending.first : ascending.last) ?? TemplateValue.none
        }
    }

    private static func map(_ value: TemplateValue, _ arguments: CallArguments) throws(TemplateFailure) -> TemplateValue {
        let items = try value.iterated()
        if arguments.positional.isEmpty, let attribute = arguments.keywords.first(where: { $0.name == "attribute" }) {
            let defaultValue = arguments.keywords.first { $0.name == "default" }?.value
            guard arguments.keywords.allSatisfy({ $0.name == "attribute" || $0.name == "default" }) else {
                throw .runtime("Unexpected keyword argument for map")
            }
            return .array(try items.map(attributeGetter(attribute.value, default: defaultValue)))
        }
        guard case .string(let filter)? = arguments.positional.first else {
            throw .runtime("map requires a filter argument")
        }
        guard supportedNames.contains(filter) else { throw .runtime("No filter named \(PythonStringRepr.repr(filter)).") }
        let rest = CallArguments(positional: Array(arguments.positional.dropFirst()), keywords: arguments.keywords)
        var mapped: [TemplateValue] = []
        for item in items { mapped.append(try apply(filter, item, rest)) }
        return .array(mapped)
    }

    private static func select(_ name: String, _ value: TemplateValue, _ arguments: CallArguments)
        throws(TemplateFailure) -> TemplateValue
    {
        let byAttribute = name.hasSuffix("attr")
        let keep = name.hasPrefix("select")
        var positional = arguments.positional
        var getter: ((TemplateValue) throws(TemplateFailure) -> TemplateValue)?
        if byAttribute {
            guard !positional.isEmpty else { throw .runtime("Missing parameter for attribute name") }
            getter = attributeGetter(positional.removeFirst())
        }
        var test: String?
        if !positional.isEmpty {
            guard case .string(let testName) = positional.removeFirst() else { throw .runtime("test name must be a string") }
            guard TemplateTestFunctions.jinjaNames.contains(testName) else {
                throw .runtime("No test named \(PythonStringRepr.repr(testName)).")
            }
            test = testName
        }
        let testArguments = CallArguments(positional: positional, keywords: arguments.keywords)
        var result: [TemplateValue] = []
        for item in try value.iterated() {
            let subject = try getter?(item) ?? item
            let passes = try test.map { (testName: String) throws(TemplateFailure) -> Bool in
                try TemplateTestFunctions.test(testName, subject, testArguments)
            } ?? subject.isTruthy
            if passes == keep { result.append(item) }
        }
        return .array(result)
    }
}
