import Foundation

/// Python's operators on template values: arithmetic, ordering, membership and `~` concatenation.
enum TemplateOperators {
    static func binary(_ op: TemplateBinaryOperator, _ lhs: TemplateValue, _ rhs: TemplateValue)
        throws(TemplateFailure) -> TemplateValue
    {
        switch op {
        case .add: return try add(lhs, rhs)
        case .multiply: return try multiply(lhs, rhs)
        case .modulo:
            if case .string(let format) = lhs { return .string(try PythonPercentFormat.format(format, rhs)) }
            return try arithmetic(op, lhs, rhs)
        default: return try arithmetic(op, lhs, rhs)
        }
    }

    private static func add(_ lhs: TemplateValue, _ rhs: TemplateValue) throws(TemplateFailure) -> TemplateValue {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)):
            return .string(try checkedSize(a + b))
        case (.array(let a), .array(let b)):
            guard a.count + b.count <= TemplateLimits.listCount else { throw .limit("list too long") }
            return .array(a + b)
        case (.string, _) where !rhs.isUndefined:
            throw .runtime("can only concatenate str (not \"\(rhs.typeName)\") to str")
        case (.array, _) where !rhs.isUndefined:
            throw .runtime("can only concatenate list (not \"\(rhs.typeName)\") to list")
        default:
            return try arithmetic(.add, lhs, rhs)
        }
    }

    private static func multiply(_ lhs: TemplateValue, _ rhs: TemplateValue) throws(TemplateFailure) -> TemplateValue {
        switch (lhs, rhs) {
        case (.string(let text), _) where rhs.integerValue != nil:
            return .string(try repeated(text, rhs.integerValue ?? 0))
        case (_, .string(let text)) where lhs.integerValue != nil:
            return .string(try repeated(text, lhs.integerValue ?? 0))
        case (.array(let items), _) where rhs.integerValue != nil:
            return .array(try repeated(items, rhs.integerValue ?? 0))
        case (_, .array(let items)) where lhs.integerValue != nil:
            return .array(try repeated(items, lhs.integerValue ?? 0))
        default:
            return try arithmetic(.multiply, lhs, rhs)
        }
    }

    private static func repeated(_ text: String, _ count: Int) throws(TemplateFailure) -> String {
        guard count > 0, !text.isEmpty else { return "" }
        guard text.utf8.count <= TemplateLimits.outputBytes / count else { throw .limit("string too long") }
        return String(repeating: text, count: count)
    }

    private static func repeated(_ items: [TemplateValue], _ count: Int) throws(TemplateFailure) -> [TemplateValue] {
        guard count > 0, !items.isEmpty else { return [] }
        guard items.count <= TemplateLimits.listCount / count else { throw .limit("list too long") }
        return Array([[TemplateValue]](repeating: items, count: count).joined())
    }

    /// Numbers only: ints (and booleans) stay ints where Python keeps them ints, `/` always gives a float.
    private static func arithmetic(_ op: TemplateBinaryOperator, _ lhs: TemplateValue, _ rhs: TemplateValue)
        throws(TemplateFailure) -> TemplateValue
    {
        if let a = lhs.integerValue, let b = rhs.integerValue { return try integerArithmetic(op, a, b) }
        guard let a = lhs.numericValue, let b = rhs.numericValue else { throw .operands(op.rawValue, lhs, rhs) }
        switch op {
        case .add: return .double(a + b)
        case .subtract: return .double(a - b)
        case .multiply: return .double(a * b)
        case .divide:
            guard b != 0 else { throw .runtime("float division by zero") }
            return .double(a / b)
        case .floorDivide:
            guard b != 0 else { throw .runtime("float floor division by zero") }
            return .double(floorDivide(a, b))
        case .modulo:
            guard b != 0 else { throw .runtime("float modulo") }
            return .double(modulo(a, b))
        case .power:
            if a == 0, b < 0 { throw .runtime("0.0 cannot be raised to a negative power") }
            if a < 0, b.rounded() != b { throw .unsupported("complex numbers are not supported") }
            return .double(Foundation.pow(a, b))
        }
    }

    private static func integerArithmetic(_ op: TemplateBinaryOperator, _ a: Int, _ b: Int) throws(TemplateFailure)
        -> TemplateValue
    {
        let result: (partialValue: Int, overflow: Bool)
        switch op {
        case .add: result = a.addingReportingOverflow(b)
        case .subtract: result = a.subtractingReportingOverflow(b)
        case .multiply: result = a.multipliedReportingOverflow(by: b)
        case .divide:
            guard b != 0 else { throw .runtime("division by zero") }
            return .double(Double(a) / Double(b))
        case .floorDivide, .modulo:
            guard b != 0 else { throw .runtime(op == .modulo ? "integer modulo by zero" : "integer division or modulo by zero") }
            guard !(a == .min && b == -1) else { throw .runtime("integer overflow") }
            var quotient = a / b
            var remainder = a % b
            if remainder != 0, (remainder < 0) != (b < 0) {
                quotient -= 1
                remainder += b
            }
            return .int(op == .modulo ? remainder : quotient)
        case .power:
            if b < 0 {
                guard a != 0 else { throw .runtime("0.0 cannot be raised to a negative power") }
                return .double(Foundation.pow(Double(a), Double(b)))
            }
            var value = 1
            var base = a
            var exponent = b
            while exponent > 0 {
                if exponent & 1 == 1 {
                    let product = value.multipliedReportingOverflow(by: base)
                    guard !product.overflow else { throw .runtime("integer overflow") }
                    value = product.partialValue
                }
                exponent >>= 1
                if exponent > 0 {
                    let square = base.multipliedReportingOverflow(by: base)
                    guard !square.overflow else { throw .runtime("integer overflow") }
                    base = square.partialValue
                }
            }
            return .int(value)
        }
        guard !result.overflow else { throw .runtime("integer overflow") }
        return .int(result.partialValue)
    }

    /// Python's float `//`.
    private static func floorDivide(_ a: Double, _ b: Double) -> Double {
        var remainder = fmod(a, b)
        var quotient = (a - remainder) / b
        if remainder != 0, (b < 0) != (remainder < 0) {
            remainder += b
            quotient -= 1
        }
        guard quotient != 0 else { return a / b < 0 ? -0.0 : 0.0 }
        var floored = quotient.rounded(.down)
        if quotient - floored > 0.5 { floored += 1 }
        return floored
    }

    /// Python's float `%`: the result has the divisor's sign.
    private static func modulo(_ a: Double, _ b: Double) -> Double {
        var remainder = fmod(a, b)
        if remainder != 0 {
            if (b < 0) != (remainder < 0) { remainder += b }
        } else {
            remainder = b < 0 ? -0.0 : 0.0
        }
        return remainder
    }

    static func negate(_ value: TemplateValue) throws(TemplateFailure) -> TemplateValue {
        switch value {
        case .int(let number):
            guard number != .min else { throw .runtime("integer overflow") }
            return .int(-number)
        case .bool(let flag): return .int(flag ? -1 : 0)
        case .double(let number): return .double(-number)
        case .undefined(let message): throw .undefined(message)
        default: throw .runtime("bad operand type for unary -: '\(value.typeName)'")
        }
    }

    static func plus(_ value: TemplateValue) throws(TemplateFailure) -> TemplateValue {
        switch value {
        case .int, .double: return value
        case .bool(let flag): return .int(flag ? 1 : 0)
        case .undefined(let message): throw .undefined(message)
        default: throw .runtime("bad operand type for unary +: '\(value.typeName)'")
        }
    }

    /// `a ~ b ~ ...`: the printed values joined.
    static func concatenate(_ values: [TemplateValue]) throws(TemplateFailure) -> TemplateValue {
        var text = ""
        for value in values {
            text += value.printed
            _ = try checkedSize(text)
        }
        return .string(text)
    }

    static func checkedSize(_ text: String) throws(TemplateFailure) -> String {
        guard text.utf8.count <= TemplateLimits.outputBytes else {
            throw .limit("a string grew past \(TemplateLimits.outputBytes) bytes")
        }
        return text
    }

    // MARK: Comparisons

    static func compare(_ op: TemplateComparison.Operator, _ lhs: TemplateValue, _ rhs: TemplateValue)
        throws(TemplateFailure) -> Bool
    {
        switch op {
        case .equal: return lhs == rhs
        case .notEqual: return lhs != rhs
        case .less: return try order(lhs, rhs, op) < 0
        case .lessOrEqual: return try order(lhs, rhs, op) <= 0
        case .greater: return try order(lhs, rhs, op) > 0
        case .greaterOrEqual: return try order(lhs, rhs, op) >= 0
        case .contains: return try contains(rhs, lhs)
        case .notContains: return try !contains(rhs, lhs)
        }
    }

    /// Python ordering: -1, 0 or 1; `TypeError` between types Python cannot order.
    static func order(_ lhs: TemplateValue, _ rhs: TemplateValue, _ op: TemplateComparison.Operator = .less)
        throws(TemplateFailure) -> Int
    {
        if let result = orderIfComparable(lhs, rhs) { return result }
        if case .undefined(let message) = lhs { throw .undefined(message) }
        if case .undefined(let message) = rhs { throw .undefined(message) }
        throw .runtime("'\(op.rawValue)' not supported between instances of '\(lhs.typeName)' and '\(rhs.typeName)'")
    }

    /// `nil` when Python would raise `TypeError`.
    static func orderIfComparable(_ lhs: TemplateValue, _ rhs: TemplateValue) -> Int? {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)):
            return PythonText.less(a, b) ? -1 : (PythonText.equal(a, b) ? 0 : 1)
        case (.array(let a), .array(let b)):
            for (x, y) in zip(a, b) where x != y {
                return orderIfComparable(x, y)
            }
            return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
        default:
            if let a = lhs.integerValue, let b = rhs.integerValue { return a < b ? -1 : (a == b ? 0 : 1) }
            guard let a = lhs.numericValue, let b = rhs.numericValue, !a.isNaN, !b.isNaN else { return nil }
            return a < b ? -1 : (a == b ? 0 : 1)
        }
    }

    /// Python's `item in container`.
    static func contains(_ container: TemplateValue, _ item: TemplateValue) throws(TemplateFailure) -> Bool {
        switch container {
        case .string(let text):
            guard case .string(let needle) = item else {
                if case .undefined(let message) = item { throw .undefined(message) }
                throw .runtime("'in <string>' requires string as left operand, not \(item.typeName)")
            }
            return PythonText.contains(text, needle)
        case .array(let items):
            return items.contains(item)
        case .dictionary(let dictionary):
            guard TemplateDictionaryKey(item) != nil else { throw .runtime("unhashable type: '\(item.typeName)'") }
            return dictionary.contains(item)
        case .undefined:
            return false
        default:
            throw .runtime("argument of type '\(container.typeName)' is not iterable")
        }
    }
}
