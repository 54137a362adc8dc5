/// jinja2's tests (`x is defined`, `x is string`, `x is divisibleby(3)`, ...).
enum TemplateTestFunctions {
    /// Every test jinja2 3.1 has (the parser rejects other names as jinja2 does).
    static let jinjaNames: Set<String> = [
        "odd", "even", "divisibleby", "defined", "undefined", "filter", "test", "none", "boolean", "false", "true",
        "integer", "float", "lower", "upper", "string", "mapping", "number", "sequence", "iterable", "callable",
        "sameas", "escaped", "in", "==", "eq", "equalto", "!=", "ne", ">", "gt", "greaterthan", ">=", "ge", "<", "lt",
        "lessthan", "<=", "le",
    ]

    static func test(_ name: String, _ value: TemplateValue, _ arguments: CallArguments) throws(TemplateFailure) -> Bool {
        let comparisons: [String: TemplateComparison.Operator] = [
            "==": .equal, "eq": .equal, "equalto": .equal, "!=": .notEqual, "ne": .notEqual,
            ">": .greater, "gt": .greater, "greaterthan": .greater, ">=": .greaterOrEqual, "ge": .greaterOrEqual,
            "<": .less, "lt": .less, "lessthan": .less, "<=": .lessOrEqual, "le": .lessOrEqual,
        ]
        if let op = comparisons[name] {
            let other = try arguments.bind(["other"], function: name)[0]
            guard let other else { throw .runtime("test '\(name)' needs an argument") }
            return try TemplateOperators.compare(op, value, other)
        }
        switch name {
        case "in":
            guard let container = try arguments.bind(["seq"], function: name)[0] else {
                throw .runtime("test 'in' needs an argument")
            }
            return try TemplateOperators.contains(container, value)
        case "divisibleby":
            guard let divisor = try arguments.bind(["num"], function: name)[0] else {
                throw .runtime("test 'divisibleby' needs an argument")
            }
            return try TemplateOperators.binary(.modulo, value, divisor) == .int(0)
        case "sameas":
            let other = try arguments.bind(["other"], function: name)[0] ?? TemplateValue.none
            return isSame(value, other)
        case "filter", "test":
            guard case .string(let target) = value else { return false }
            return name == "filter" ? TemplateFilters.supportedNames.contains(target) : jinjaNames.contains(target)
        default:
            _ = try arguments.bind([], function: name)
            return try unaryTest(name, value)
        }
    }

    private static func unaryTest(_ name: String, _ value: TemplateValue) throws(TemplateFailure) -> Bool {
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": if case .none = value { return true } else { return false }
        case "boolean": if case .bool = value { return true } else { return false }
        case "true": return value == .bool(true) && isBool(value)
        case "false": return value == .bool(false) && isBool(value)
        case "integer": if case .int = value { return true } else { return false }
        case "float": if case .double = value { return true } else { return false }
        case "number": return value.numericValue != nil
        case "string": return value.stringValue != nil
        case "mapping": if case .dictionary = value { return true } else { return false }
        case "iterable", "sequence":
            switch value {
            case .array, .dictionary, .string, .undefined: return true
            default: return false
            }
        case "callable": if case .callable = value { return true } else { return false }
        case "escaped": return false
        case "odd", "even":
            let remainder = try TemplateOperators.binary(.modulo, value, .int(2))
            return remainder == .int(name == "odd" ? 1 : 0)
        case "lower", "upper":
            let text = value.printed
            let cased = text.unicodeScalars.filter { $0.properties.isCased }
            return !cased.isEmpty && cased.allSatisfy { name == "lower" ? $0.properties.isLowercase : $0.properties.isUppercase }
        default:
            throw .unsupported("the '\(name)' test is not supported")
        }
    }

    private static func isBool(_ value: TemplateValue) -> Bool {
        if case .bool = value { return true }
        return false
    }

    /// Python's `is`, for the values where identity is observable.
    private static func isSame(_ lhs: TemplateValue, _ rhs: TemplateValue) -> Bool {
        switch (lhs, rhs) {
        case (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.namespace(let a), .namespace(let b)): return a === b
        case (.callable(let a), .callable(let b)): return a === b
        default: return false
        }
    }
}
