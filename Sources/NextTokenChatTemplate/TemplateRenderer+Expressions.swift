/// Evaluation of expressions.
extension TemplateRenderer {
    func evaluate(_ expression: TemplateExpression, in scope: TemplateScope) throws(ChatTemplateError) -> TemplateValue {
        try enter(expression.location)
        defer { leave() }
        let location = expression.location
        switch expression.kind {
        case .literal(let value):
            return value
        case .name(let name):
            return scope.lookup(name) ?? .undefined("\(PythonStringRepr.repr(name)) is undefined")
        case .list(let items), .tuple(let items):
            var values: [TemplateValue] = []
            for item in items { values.append(try evaluate(item, in: scope)) }
            return try checkNesting(.array(values), at: location)
        case .dictionary(let keys, let values):
            var dictionary = TemplateDictionary()
            for (keyExpression, valueExpression) in zip(keys, values) {
                let key = try evaluate(keyExpression, in: scope)
                guard dictionary.insert(try evaluate(valueExpression, in: scope), for: key) else {
                    throw .runtime("unhashable type: '\(key.typeName)'", at: keyExpression.location)
                }
            }
            return try checkNesting(.dictionary(dictionary), at: location)
        case .attribute(let base, let name):
            let value = try evaluate(base, in: scope)
            return try at(location) { () throws(TemplateFailure) in try value.attribute(name) }
        case .item(let base, let key):
            let value = try evaluate(base, in: scope)
            let keyValue = try evaluate(key, in: scope)
            return try at(location) { () throws(TemplateFailure) in try value.item(keyValue) }
        case .slice(let base, let start, let stop, let step):
            let value = try evaluate(base, in: scope)
            let bounds = try [start, stop, step].map { (part: TemplateExpression?) throws(ChatTemplateError) in
                try part.map { (bound: TemplateExpression) throws(ChatTemplateError) in try evaluate(bound, in: scope) }
                    ?? TemplateValue.none
            }
            return try at(location) { () throws(TemplateFailure) in try value.slice(bounds[0], bounds[1], bounds[2]) }
        case .call(let callee, let arguments):
            let function = try evaluate(callee, in: scope)
            return try invoke(function, try evaluate(arguments, in: scope), at: location)
        case .filter(let base, let filter):
            return try applyFilters([filter], to: try evaluate(base, in: scope), in: scope)
        case .test(let base, let name, let arguments):
            let value = try evaluate(base, in: scope)
            let values = try evaluate(arguments, in: scope)
            return .bool(try at(location) { () throws(TemplateFailure) in
                try TemplateTestFunctions.test(name, value, values)
            })
        case .not(let operand):
            return .bool(!(try evaluate(operand, in: scope).isTruthy))
        case .negate(let operand):
            let value = try evaluate(operand, in: scope)
            return try at(location) { () throws(TemplateFailure) in try TemplateOperators.negate(value) }
        case .plus(let operand):
            let value = try evaluate(operand, in: scope)
            return try at(location) { () throws(TemplateFailure) in try TemplateOperators.plus(value) }
        case .binary(let op, let lhs, let rhs):
            let left = try evaluate(lhs, in: scope)
            let right = try evaluate(rhs, in: scope)
            return try at(location) { () throws(TemplateFailure) in try TemplateOperators.binary(op, left, right) }
        case .concat(let parts):
            var values: [TemplateValue] = []
            for part in parts { values.append(try evaluate(part, in: scope)) }
            return try at(location) { () throws(TemplateFailure) in try TemplateOperators.concatenate(values) }
        case .and(let lhs, let rhs):
            let left = try evaluate(lhs, in: scope)
            return left.isTruthy ? try evaluate(rhs, in: scope) : left
        case .or(let lhs, let rhs):
            let left = try evaluate(lhs, in: scope)
            return left.isTruthy ? left : try evaluate(rhs, in: scope)
        case .compare(let first, let comparisons):
            var left = try evaluate(first, in: scope)
            for comparison in comparisons {
                let right = try evaluate(comparison.operand, in: scope)
                let holds = try at(comparison.operand.location) { () throws(TemplateFailure) in
                    try TemplateOperators.compare(comparison.op, left, right)
                }
                guard holds else { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .conditional(let value, let condition, let otherwise):
            if try evaluate(condition, in: scope).isTruthy { return try evaluate(value, in: scope) }
            if let otherwise { return try evaluate(otherwise, in: scope) }
            return .undefined("the inline if-expression on line \(location.line) evaluated to false and no else section was defined.")
        }
    }

    /// Evaluates call arguments, expanding `*list` and `**dict`.
    func evaluate(_ arguments: TemplateArguments, in scope: TemplateScope) throws(ChatTemplateError) -> CallArguments {
        var values = CallArguments()
        for expression in arguments.positional { values.positional.append(try evaluate(expression, in: scope)) }
        for (name, expression) in arguments.keywords { values.keywords.append((name, try evaluate(expression, in: scope))) }
        if let splat = arguments.splat {
            let list = try evaluate(splat, in: scope)
            values.positional += try at(splat.location) { () throws(TemplateFailure) in try list.iterated() }
        }
        if let doubleSplat = arguments.doubleSplat {
            guard case .dictionary(let dictionary) = try evaluate(doubleSplat, in: scope) else {
                throw .runtime("argument after ** must be a mapping", at: doubleSplat.location)
            }
            for (key, value) in zip(dictionary.keys, dictionary.values) {
                guard case .string(let name) = key else {
                    throw .runtime("keywords must be strings", at: doubleSplat.location)
                }
                values.keywords.append((name, value))
            }
        }
        return values
    }
}
