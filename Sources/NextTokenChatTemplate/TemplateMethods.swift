/// The Python methods templates call on values: `str` methods (`strip`, `split`, `startswith`, ...), the
/// read-only `dict` methods (`items`, `keys`, `values`, `get`) and `list.index`/`count`. Mutating methods
/// raise, as they do in jinja2's immutable sandbox.
enum TemplateMethods {
    static let stringMethods: Set<String> = [
        "strip", "lstrip", "rstrip", "startswith", "endswith", "split", "rsplit", "splitlines", "upper", "lower",
        "title", "capitalize", "replace", "find", "rfind", "index", "rindex", "count", "join", "format", "isdigit",
        "isalpha", "isalnum", "isspace", "islower", "isupper", "removeprefix", "removesuffix", "zfill", "center",
        "ljust", "rjust", "casefold", "swapcase", "partition", "rpartition", "encode",
    ]

    static func call(_ receiver: TemplateValue, _ name: String, _ arguments: CallArguments) throws(TemplateFailure)
        -> TemplateValue
    {
        switch receiver {
        case .string(let text): return try stringMethod(text, name, arguments)
        case .dictionary(let dictionary): return try dictionaryMethod(dictionary, name, arguments)
        case .array(let items): return try listMethod(items, name, arguments)
        default: throw .runtime("'\(receiver.typeName)' object has no attribute '\(name)'")
        }
    }

    private static func dictionaryMethod(_ dictionary: TemplateDictionary, _ name: String, _ arguments: CallArguments)
        throws(TemplateFailure) -> TemplateValue
    {
        switch name {
        case "items":
            _ = try arguments.bind([], function: name)
            return .array(zip(dictionary.keys, dictionary.values).map { .array([$0, $1]) })
        case "keys":
            _ = try arguments.bind([], function: name)
            return .array(dictionary.keys)
        case "values":
            _ = try arguments.bind([], function: name)
            return .array(dictionary.values)
        case "get":
            let bound = try arguments.bind(["key", "default"], function: name)
            guard let key = bound[0] else { throw .runtime("get expected at least 1 argument, got 0") }
            return dictionary.value(for: key) ?? bound[1] ?? TemplateValue.none
        case "copy":
            return .dictionary(dictionary)
        default:
            throw .runtime("access to attribute '\(name)' of 'dict' object is unsafe (templates cannot modify values)")
        }
    }

    private static func listMethod(_ items: [TemplateValue], _ name: String, _ arguments: CallArguments)
        throws(TemplateFailure) -> TemplateValue
    {
        switch name {
        case "index":
            let bound = try arguments.bind(["value"], function: name)
            guard let position = items.firstIndex(of: bound[0] ?? TemplateValue.none) else { throw .runtime("value is not in list") }
            return .int(position)
        case "count":
            let bound = try arguments.bind(["value"], function: name)
            return .int(items.filter { $0 == bound[0] ?? TemplateValue.none }.count)
        case "copy":
            return .array(items)
        default:
            throw .runtime("access to attribute '\(name)' of 'list' object is unsafe (templates cannot modify values)")
        }
    }

    private static func stringArgument(_ value: TemplateValue?, _ function: String) throws(TemplateFailure) -> String? {
        switch value {
        case nil, .none?: return nil
        case .string(let text)?: return text
        case let other?: throw .runtime("\(function) arg must be None or str, not \(other.typeName)")
        }
    }

    private static func integerArgument(_ value: TemplateValue?, default defaultValue: Int) throws(TemplateFailure) -> Int {
        guard let value else { return defaultValue }
        guard let number = value.integerValue else {
            throw .runtime("'\(value.typeName)' object cannot be interpreted as an integer")
        }
        return number
    }

    private static func stringMethod(_ text: String, _ name: String, _ arguments: CallArguments)
        throws(TemplateFailure) -> TemplateValue
    {
        switch name {
        case "strip", "lstrip", "rstrip":
            let chars = try stringArgument(try arguments.bind(["chars"], function: name)[0], name)
            return .string(PythonText.strip(text, chars: chars, leading: name != "rstrip", trailing: name != "lstrip"))
        case "startswith", "endswith":
            let bound = try arguments.bind(["prefix", "start", "end"], function: name)
            let scalars = Array(text.unicodeScalars)
            let start = try clampIndex(bound[1], count: scalars.count, default: 0)
            let end = try clampIndex(bound[2], count: scalars.count, default: scalars.count)
            let part = start <= end ? PythonText.string(scalars[start..<end]) : ""
            let candidates: [TemplateValue]
            if case .array(let items) = bound[0] { candidates = items } else { candidates = [bound[0] ?? TemplateValue.none] }
            for candidate in candidates {
                guard case .string(let affix) = candidate else {
                    throw .runtime("\(name) first arg must be str or a tuple of str, not \(candidate.typeName)")
                }
                if name == "startswith" ? PythonText.hasPrefix(part, affix) : PythonText.hasSuffix(part, affix) {
                    return .bool(true)
                }
            }
            return .bool(false)
        case "split", "rsplit":
            let bound = try arguments.bind(["sep", "maxsplit"], function: name)
            let separator = try stringArgument(bound[0], name)
            let limit = try integerArgument(bound[1], default: -1)
            let parts = name == "split"
                ? PythonText.split(text, separator: separator, maxSplits: limit)
                : PythonText.splitFromEnd(text, separator: separator, maxSplits: limit)
            guard let parts else { throw .runtime("empty separator") }
            return .array(parts.map { .string($0) })
        case "splitlines":
            let keepEnds = try arguments.bind(["keepends"], function: name)[0]?.isTruthy ?? false
            return .array(PythonText.splitLines(text, keepEnds: keepEnds).map { .string($0) })
        case "upper", "lower", "title", "capitalize", "casefold", "swapcase":
            _ = try arguments.bind([], function: name)
            switch name {
            case "upper": return .string(PythonText.upper(text))
            case "lower", "casefold": return .string(PythonText.lower(text))
            case "title": return .string(PythonText.title(text))
            case "capitalize": return .string(PythonText.capitalize(text))
            default:
                return .string(text.unicodeScalars.map {
                    $0.properties.isUppercase ? $0.properties.lowercaseMapping : $0.properties.uppercaseMapping
                }.joined())
            }
        case "replace":
            let bound = try arguments.bind(["old", "new", "count"], function: name)
            guard case .string(let old)? = bound[0], case .string(let new)? = bound[1] else {
                throw .runtime("replace() arguments must be str")
            }
            let count = try integerArgument(bound[2], default: -1)
            return .string(try TemplateOperators.checkedSize(PythonText.replace(text, old, with: new, count: count)))
        default:
            return try TemplateMethods.moreStringMethods(text, name, arguments)
        }
    }

    static func clampIndex(_ value: TemplateValue?, count: Int, default defaultValue: Int) throws(TemplateFailure) -> Int {
        guard let value else { return defaultValue }
        if case .none = value { return defaultValue }
        let index = try integerArgument(value, default: defaultValue)
        return min(max(index < 0 ? index + count : index, 0), count)
    }
}
