import Foundation

/// jinja2's filters (`x | trim`, `x | tojson(indent=2)`, ...), with transformers' `tojson`.
enum TemplateFilters {
    /// Every filter jinja2 3.1 has: other names are syntax errors, as in jinja2.
    static let jinjaNames: Set<String> = [
        "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape",
        "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent", "int", "join", "last",
        "length", "list", "lower", "items", "map", "min", "max", "pprint", "random", "reject", "rejectattr", "replace",
        "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags", "sum", "title",
        "tojson", "trim", "truncate", "unique", "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr",
    ]

    /// The filters this renderer implements.
    static let supportedNames: Set<String> = [
        "abs", "attr", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
        "forceescape", "format", "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max",
        "min", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "sort", "string",
        "sum", "title", "tojson", "trim", "unique", "upper", "wordcount",
    ]

    static func apply(_ name: String, _ value: TemplateValue, _ arguments: CallArguments) throws(TemplateFailure)
        -> TemplateValue
    {
        switch name {
        case "default", "d":
            let bound = try arguments.bind(["default_value", "boolean"], function: name)
            let useDefault = value.isUndefined || (bound[1]?.isTruthy == true && !value.isTruthy)
            return useDefault ? bound[0] ?? TemplateValue.string("") : value
        case "length", "count":
            _ = try arguments.bind([], function: name)
            return .int(try value.length())
        case "string", "safe":
            _ = try arguments.bind([], function: name)
            return .string(value.printed)
        case "upper", "lower", "capitalize", "title", "wordcount", "e", "escape", "forceescape":
            _ = try arguments.bind([], function: name)
            return textFilter(name, value.printed)
        case "trim":
            let chars = try arguments.bind(["chars"], function: name)[0]
            var set: String?
            if case .string(let text)? = chars { set = text }
            return .string(PythonText.strip(value.printed, chars: set))
        case "replace":
            let bound = try arguments.bind(["old", "new", "count"], function: name)
            guard let old = bound[0], let new = bound[1] else { throw .runtime("replace() needs old and new") }
            let limit = bound[2].flatMap { $0 == TemplateValue.none ? nil : $0.integerValue } ?? -1
            let replaced = PythonText.replace(value.printed, old.printed, with: new.printed, count: limit)
            return .string(try TemplateOperators.checkedSize(replaced))
        case "center":
            let width = try arguments.bind(["width"], function: name)[0] ?? .int(80)
            return try TemplateMethods.call(.string(value.printed), "center", CallArguments(positional: [width]))
        case "indent":
            switch value {
            case .string(let text): return try indent(text, arguments)
            case .undefined(let message): throw .undefined(message)
            default: throw .runtime("unsupported operand type(s) for +=: '\(value.typeName)' and 'str'")
            }
        case "format":
            guard arguments.positional.isEmpty || arguments.keywords.isEmpty else {
                throw .runtime("can't handle positional and keyword arguments at the same time")
            }
            var keywords = TemplateDictionary()
            for (key, item) in arguments.keywords { keywords[key] = item }
            let values: TemplateValue = arguments.keywords.isEmpty ? .array(arguments.positional) : .dictionary(keywords)
            return .string(try PythonPercentFormat.format(value.printed, values))
        case "abs":
            _ = try arguments.bind([], function: name)
            switch value {
            case .int(let number) where number != .min: return .int(Swift.abs(number))
            case .bool(let flag): return .int(flag ? 1 : 0)
            case .double(let number): return .double(Swift.abs(number))
            case .undefined(let message): throw .undefined(message)
            default: throw .runtime("bad operand type for abs(): '\(value.typeName)'")
            }
        case "int":
            let bound = try arguments.bind(["default", "base"], function: name)
            return try PythonNumbers.int(value, default: bound[0] ?? .int(0), base: bound[1]?.integerValue ?? 10)
        case "float":
            let bound = try arguments.bind(["default"], function: name)
            return PythonNumbers.float(value) ?? bound[0] ?? .double(0)
        case "round":
            let bound = try arguments.bind(["precision", "method"], function: name)
            let method = bound[1]?.stringValue ?? "common"
            return try PythonNumbers.round(value, precision: bound[0]?.integerValue ?? 0, method: method)
        case "tojson":
            return try toJSON(value, arguments)
        default:
            return try applyCollectionFilter(name, value, arguments)
        }
    }

    private static func textFilter(_ name: String, _ text: String) -> TemplateValue {
        switch name {
        case "upper": return .string(PythonText.upper(text))
        case "lower": return .string(PythonText.lower(text))
        case "capitalize": return .string(PythonText.capitalize(text))
        case "title": return .string(title(text))
        case "wordcount":
            var words = 0
            var inWord = false
            for scalar in text.unicodeScalars {
                let isWordScalar = scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                if isWordScalar, !inWord { words += 1 }
                inWord = isWordScalar
            }
            return .int(words)
        default:
            return .string(htmlEscape(text))
        }
    }

    /// jinja2's `title`: each piece between `-`, whitespace, `(`, `{`, `[` and `<` starts upper-case, the
    /// rest of the piece is lower-cased.
    private static func title(_ text: String) -> String {
        var out = ""
        var piece = String.UnicodeScalarView()
        func flush() {
            guard let first = piece.first else { return }
            out += PythonText.upper(String(first)) + PythonText.lower(PythonText.string(piece.dropFirst()))
            piece = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            if scalar == "-" || "({[<".unicodeScalars.contains(scalar) || PythonText.isWhitespace(scalar) {
                flush()
                out.unicodeScalars.append(scalar)
            } else {
                piece.append(scalar)
            }
        }
        flush()
        return out
    }

    /// markupsafe's `escape`.
    static func htmlEscape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&#34;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    private static func indent(_ text: String, _ arguments: CallArguments) throws(TemplateFailure) -> TemplateValue {
        let bound = try arguments.bind(["width", "first", "blank"], function: "indent")
        var indentation = "    "
        if case .string(let given)? = bound[0] {
            indentation = given
        } else if let width = bound[0]?.integerValue {
            guard width <= 1024 else { throw .limit("indent width too large") }
            indentation = String(repeating: " ", count: max(width, 0))
        }
        var lines = PythonText.splitLines(text + "\n", keepEnds: false)
        var result: String
        if bound[2]?.isTruthy == true {
            result = lines.joined(separator: "\n" + indentation)
        } else {
            result = lines.isEmpty ? "" : lines.removeFirst()
            if !lines.isEmpty {
                result += "\n" + lines.map { $0.isEmpty ? $0 : indentation + $0 }.joined(separator: "\n")
            }
        }
        if bound[1]?.isTruthy == true { result = indentation + result }
        return .string(try TemplateOperators.checkedSize(result))
    }

    /// transformers' `tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)`.
    private static func toJSON(_ value: TemplateValue, _ arguments: CallArguments) throws(TemplateFailure) -> TemplateValue {
        let bound = try arguments.bind(["ensure_ascii", "indent", "separators", "sort_keys"], function: "tojson")
        var encoder = PythonJSONEncoder()
        encoder.ensureASCII = bound[0]?.isTruthy ?? false
        switch bound[1] {
        case .string(let text)?: encoder.indent = text
        case .int(let width)?:
            guard width <= 1024 else { throw .limit("indent width too large") }
            encoder.indent = String(repeating: " ", count: max(width, 0))
        case nil, .none?: break
        case let other?: throw .runtime("indent must be an int or a string, not \(other.typeName)")
        }
        if let separators = bound[2], !(separators == TemplateValue.none) {
            guard case .array(let pair) = separators, pair.count == 2,
                  case .string(let item) = pair[0], case .string(let key) = pair[1]
            else { throw .runtime("separators must be a pair of strings") }
            encoder.itemSeparator = item
            encoder.keySeparator = key
        }
        encoder.sortKeys = bound[3]?.isTruthy ?? false
        return .string(try encoder.encode(value))
    }
}
