/// The less common `str` methods: searching, joining, `format`, character-class tests and padding.
extension TemplateMethods {
    static func moreStringMethods(_ text: String, _ name: String, _ arguments: CallArguments)
        throws(TemplateFailure) -> TemplateValue
    {
        switch name {
        case "find", "rfind", "index", "rindex", "count":
            let bound = try arguments.bind(["sub", "start", "end"], function: name)
            guard case .string(let needle)? = bound[0] else { throw .runtime("\(name)() argument must be str") }
            let scalars = Array(text.unicodeScalars)
            let start = try clampIndex(bound[1], count: scalars.count, default: 0)
            let end = try clampIndex(bound[2], count: scalars.count, default: scalars.count)
            let window = start <= end ? Array(scalars[start..<end]) : []
            if name == "count" { return .int(PythonText.count(needle, in: PythonText.string(window))) }
            let needleScalars = Array(needle.unicodeScalars)
            let found = name.hasPrefix("r")
                ? PythonText.findLast(needleScalars, in: window) : PythonText.find(needleScalars, in: window)
            if let found { return .int(found + start) }
            if name.hasSuffix("index") { throw .runtime("substring not found") }
            return .int(-1)
        case "join":
            let bound = try arguments.bind(["iterable"], function: name)
            var parts: [String] = []
            for item in try (bound[0] ?? TemplateValue.array([])).iterated() {
                guard case .string(let part) = item else {
                    throw .runtime("sequence item \(parts.count): expected str instance, \(item.typeName) found")
                }
                parts.append(part)
            }
            return .string(try TemplateOperators.checkedSize(parts.joined(separator: text)))
        case "format":
            return .string(try PythonBraceFormat.format(text, arguments))
        case "isdigit", "isalpha", "isalnum", "isspace":
            _ = try arguments.bind([], function: name)
            guard !text.isEmpty else { return .bool(false) }
            return .bool(text.unicodeScalars.allSatisfy { scalar in
                let properties = scalar.properties
                switch name {
                case "isdigit": return properties.numericType == .digit || properties.numericType == .decimal
                case "isalpha": return properties.isAlphabetic
                case "isalnum": return properties.isAlphabetic || properties.numericType != nil
                default: return PythonText.isWhitespace(scalar)
                }
            })
        case "islower", "isupper":
            _ = try arguments.bind([], function: name)
            let cased = text.unicodeScalars.filter { $0.properties.isCased }
            guard !cased.isEmpty else { return .bool(false) }
            return .bool(cased.allSatisfy { name == "islower" ? $0.properties.isLowercase : $0.properties.isUppercase })
        case "removeprefix", "removesuffix":
            guard case .string(let affix)? = try arguments.bind(["affix"], function: name)[0] else {
                throw .runtime("\(name)() argument must be str")
            }
            let count = affix.unicodeScalars.count
            if name == "removeprefix", PythonText.hasPrefix(text, affix) {
                return .string(PythonText.string(text.unicodeScalars.dropFirst(count)))
            }
            if name == "removesuffix", PythonText.hasSuffix(text, affix), count > 0 {
                return .string(PythonText.string(text.unicodeScalars.dropLast(count)))
            }
            return .string(text)
        case "zfill", "center", "ljust", "rjust":
            return try padded(text, name, arguments)
        case "partition", "rpartition":
            guard case .string(let separator)? = try arguments.bind(["sep"], function: name)[0], !separator.isEmpty else {
                throw .runtime("\(name)() needs a non-empty str separator")
            }
            let scalars = Array(text.unicodeScalars)
            let needle = Array(separator.unicodeScalars)
            let found = name == "partition" ? PythonText.find(needle, in: scalars) : PythonText.findLast(needle, in: scalars)
            guard let found else {
                return name == "partition" ? .array([.string(text), "", ""]) : .array(["", "", .string(text)])
            }
            return .array([.string(PythonText.string(scalars[..<found])), .string(separator),
                           .string(PythonText.string(scalars[(found + needle.count)...]))])
        default:
            throw .unsupported("the str method '\(name)' is not supported")
        }
    }

    private static func padded(_ text: String, _ name: String, _ arguments: CallArguments) throws(TemplateFailure)
        -> TemplateValue
    {
        let bound = try arguments.bind(name == "zfill" ? ["width"] : ["width", "fillchar"], function: name)
        guard let width = bound[0]?.integerValue else { throw .runtime("\(name)() needs an integer width") }
        guard width <= TemplateLimits.outputBytes else { throw .limit("padding too wide") }
        var fill: Unicode.Scalar = name == "zfill" ? "0" : " "
        if bound.count > 1, let given = bound[1] {
            guard case .string(let fillText) = given, fillText.unicodeScalars.count == 1,
                  let scalar = fillText.unicodeScalars.first
            else { throw .runtime("The fill character must be exactly one character long") }
            fill = scalar
        }
        let scalars = Array(text.unicodeScalars)
        let missing = width - scalars.count
        guard missing > 0 else { return .string(text) }
        func run(_ count: Int) -> String { String(String.UnicodeScalarView(repeatElement(fill, count: count))) }
        switch name {
        case "ljust": return .string(text + run(missing))
        case "rjust": return .string(run(missing) + text)
        case "center":
            let left = missing / 2 + (missing & width & 1)
            return .string(run(left) + text + run(missing - left))
        default:
            if let sign = scalars.first, sign == "+" || sign == "-" {
                return .string(String(sign) + run(missing) + PythonText.string(scalars.dropFirst()))
            }
            return .string(run(missing) + text)
        }
    }
}

/// Python's `str.format`: `{}`, `{0}`, `{name}`, `{name.attr}`/`{name[key]}`, `!r`/`!s`, `{{` and `}}`.
/// Format specifications after `:` are not supported.
enum PythonBraceFormat {
    static func format(_ text: String, _ arguments: CallArguments) throws(TemplateFailure) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = ""
        var index = 0
        var automatic = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "}" {
                guard index + 1 < scalars.count, scalars[index + 1] == "}" else {
                    throw .runtime("Single '}' encountered in format string")
                }
                out += "}"
                index += 2
                continue
            }
            guard scalar == "{" else { out.unicodeScalars.append(scalar); index += 1; continue }
            if index + 1 < scalars.count, scalars[index + 1] == "{" { out += "{"; index += 2; continue }
            guard let close = scalars[index...].firstIndex(of: "}") else {
                throw .runtime("Single '{' encountered in format string")
            }
            var field = PythonText.string(scalars[(index + 1)..<close])
            index = close + 1
            if field.unicodeScalars.contains(":") { throw .unsupported("format specifications are not supported") }
            var conversion = "s"
            if let bang = field.lastIndex(of: "!") {
                conversion = String(field[field.index(after: bang)...])
                field = String(field[..<bang])
            }
            let value = try resolve(field, arguments, automatic: &automatic)
            out += conversion == "r" ? value.repr : value.printed
            _ = try TemplateOperators.checkedSize(out)
        }
        return out
    }

    private static func resolve(_ field: String, _ arguments: CallArguments, automatic: inout Int)
        throws(TemplateFailure) -> TemplateValue
    {
        let head = field.prefix { $0 != "." && $0 != "[" }
        var value: TemplateValue
        if head.isEmpty {
            guard automatic < arguments.positional.count else { throw .runtime("Replacement index \(automatic) out of range") }
            value = arguments.positional[automatic]
            automatic += 1
        } else if let position = Int(head) {
            guard position < arguments.positional.count else { throw .runtime("Replacement index \(position) out of range") }
            value = arguments.positional[position]
        } else {
            guard let keyword = arguments.keywords.last(where: { $0.name == head }) else {
                throw .runtime("KeyError: \(PythonStringRepr.repr(String(head)))")
            }
            value = keyword.value
        }
        var rest = field.dropFirst(head.count)
        while let first = rest.first {
            rest = rest.dropFirst()
            let name = rest.prefix { $0 != "." && $0 != "[" && $0 != "]" }
            rest = rest.dropFirst(name.count)
            if first == "[" {
                rest = rest.dropFirst()
                value = try value.item(Int(name).map { .int($0) } ?? .string(String(name)))
            } else {
                value = try value.attribute(String(name))
            }
        }
        return value
    }
}
