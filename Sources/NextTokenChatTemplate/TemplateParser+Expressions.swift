/// Expressions, by jinja2's precedence (lowest first): conditional `a if b else c`, `or`, `and`, `not`,
/// comparisons and `in`, `+ -`, `~`, `* / // %`, `**`, unary `- +`, then primaries with postfix `.x`, `[i]`,
/// `(args)` and the filter/test suffixes `| f` and `is t`, which bind tighter than every binary operator.
extension TemplateParser {
    /// An expression, or several separated by commas (a tuple).
    mutating func parseTuple(
        simplified: Bool = false, withConditional: Bool = true, endNames: [String] = [],
        explicitParentheses: Bool = false
    ) throws(ChatTemplateError) -> TemplateExpression {
        let location = current.location
        var items: [TemplateExpression] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(",") }
            if isTupleEnd(endNames) { break }
            if simplified {
                items.append(try parsePrimary())
            } else {
                items.append(try parseExpression(withConditional: withConditional))
            }
            guard current.isOp(",") else { break }
            isTuple = true
        }
        if !isTuple {
            if let only = items.first { return only }
            if !explicitParentheses {
                throw fail("Expected an expression, got \(quoted(current.description))")
            }
        }
        return try make(.tuple(items), at: location)
    }

    private func isTupleEnd(_ endNames: [String]) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd: return true
        case .op(")"): return true
        case .name(let name): return endNames.contains(name)
        default: return false
        }
    }

    mutating func parseExpression(withConditional: Bool = true) throws(ChatTemplateError) -> TemplateExpression {
        try enter()
        defer { expressionDepth -= 1 }
        return withConditional ? try parseConditional() : try parseOr()
    }

    private mutating func parseConditional() throws(ChatTemplateError) -> TemplateExpression {
        let location = current.location
        var expression = try parseOr()
        while current.isName("if") {
            try advance()
            let condition = try parseOr()
            var otherwise: TemplateExpression?
            if current.isName("else") {
                try advance()
                try enter()
                otherwise = try parseConditional()
                expressionDepth -= 1
            }
            expression = try make(.conditional(expression, condition: condition, otherwise: otherwise), at: location)
        }
        return expression
    }

    private mutating func parseOr() throws(ChatTemplateError) -> TemplateExpression {
        var expression = try parseAnd()
        while current.isName("or") {
            let location = current.location
            try advance()
            expression = try make(.or(expression, try parseAnd()), at: location)
        }
        return expression
    }

    private mutating func parseAnd() throws(ChatTemplateError) -> TemplateExpression {
        var expression = try parseNot()
        while current.isName("and") {
            let location = current.location
            try advance()
            expression = try make(.and(expression, try parseNot()), at: location)
        }
        return expression
    }

    private mutating func parseNot() throws(ChatTemplateError) -> TemplateExpression {
        guard current.isName("not") else { return try parseCompare() }
        let location = current.location
        try advance()
        try enter()
        defer { expressionDepth -= 1 }
        return try make(.not(try parseNot()), at: location)
    }

    private mutating func parseCompare() throws(ChatTemplateError) -> TemplateExpression {
        let location = current.location
        let first = try parseMath1()
        var comparisons: [TemplateComparison] = []
        while true {
            let op: TemplateComparison.Operator
            switch current.kind {
            case .op(let symbol) where TemplateComparison.Operator(rawValue: symbol) != nil:
                op = TemplateComparison.Operator(rawValue: symbol) ?? .equal
                try advance()
            case .name("in"):
                op = .contains
                try advance()
            case .name("not") where next.isName("in"):
                op = .notContains
                try advance()
                try advance()
            default:
                return comparisons.isEmpty ? first : try make(.compare(first, comparisons), at: location)
            }
            comparisons.append(TemplateComparison(op: op, operand: try parseMath1()))
        }
    }

    private mutating func parseMath1() throws(ChatTemplateError) -> TemplateExpression {
        var expression = try parseConcat()
        while current.isOp("+") || current.isOp("-") {
            let location = current.location
            let op: TemplateBinaryOperator = current.isOp("+") ? .add : .subtract
            try advance()
            expression = try make(.binary(op, expression, try parseConcat()), at: location)
        }
        return expression
    }

    private mutating func parseConcat() throws(ChatTemplateError) -> TemplateExpression {
        let location = current.location
        var parts = [try parseMath2()]
        while current.isOp("~") {
            try advance()
            parts.append(try parseMath2())
        }
        return parts.count == 1 ? parts[0] : try make(.concat(parts), at: location)
    }

    private mutating func parseMath2() throws(ChatTemplateError) -> TemplateExpression {
        var expression = try parsePower()
        while true {
            let op: TemplateBinaryOperator
            switch current.kind {
            case .op("*"): op = .multiply
            case .op("/"): op = .divide
            case .op("//"): op = .floorDivide
            case .op("%"): op = .modulo
            default: return expression
            }
            let location = current.location
            try advance()
            expression = try make(.binary(op, expression, try parsePower()), at: location)
        }
    }

    private mutating func parsePower() throws(ChatTemplateError) -> TemplateExpression {
        var expression = try parseUnary()
        while current.isOp("**") {
            let location = current.location
            try advance()
            expression = try make(.binary(.power, expression, try parseUnary()), at: location)
        }
        return expression
    }

    private mutating func parseUnary(withFilter: Bool = true) throws(ChatTemplateError) -> TemplateExpression {
        let location = current.location
        var expression: TemplateExpression
        if current.isOp("-") || current.isOp("+") {
            let isNegation = current.isOp("-")
            try advance()
            try enter()
            let operand = try parseUnary(withFilter: false)
            expressionDepth -= 1
            expression = try make(isNegation ? .negate(operand) : .plus(operand), at: location)
        } else {
            expression = try parsePrimary()
        }
        expression = try parsePostfix(expression)
        return withFilter ? try parseFilterSuffixes(expression) : expression
    }

    mutating func parsePrimary() throws(ChatTemplateError) -> TemplateExpression {
        let token = current
        switch token.kind {
        case .name(let name):
            try advance()
            switch name {
            case "true", "True": return try make(.literal(.bool(true)), at: token.location)
            case "false", "False": return try make(.literal(.bool(false)), at: token.location)
            case "none", "None": return try make(.literal(.none), at: token.location)
            default:
                if !macroNameUses.isEmpty { macroNameUses[macroNameUses.count - 1].insert(name) }
                return try make(.name(name), at: token.location)
            }
        case .string(let first):
            try advance()
            var text = first
            while case .string(let more) = current.kind {
                text += more
                try advance()
            }
            return try make(.literal(.string(text)), at: token.location)
        case .integer(let number):
            try advance()
            return try make(.literal(.int(number)), at: token.location)
        case .float(let number):
            try advance()
            return try make(.literal(.double(number)), at: token.location)
        case .op("("):
            try advance()
            let expression = try parseTuple(explicitParentheses: true)
            try expectOp(")")
            return expression
        case .op("["):
            return try parseList()
        case .op("{"):
            return try parseDictionary()
        default:
            throw fail("unexpected \(quoted(token.description))")
        }
    }

    private mutating func parseList() throws(ChatTemplateError) -> TemplateExpression {
        let location = try expectOp("[").location
        var items: [TemplateExpression] = []
        while !current.isOp("]") {
            if !items.isEmpty { try expectOp(",") }
            if current.isOp("]") { break }
            items.append(try parseExpression())
        }
        try expectOp("]")
        return try make(.list(items), at: location)
    }

    private mutating func parseDictionary() throws(ChatTemplateError) -> TemplateExpression {
        let location = try expectOp("{").location
        var keys: [TemplateExpression] = []
        var values: [TemplateExpression] = []
        while !current.isOp("}") {
            if !keys.isEmpty { try expectOp(",") }
            if current.isOp("}") { break }
            keys.append(try parseExpression())
            try expectOp(":")
            values.append(try parseExpression())
        }
        try expectOp("}")
        return try make(.dictionary(keys, values), at: location)
    }

    // MARK: Depth limits

    mutating func enter() throws(ChatTemplateError) {
        expressionDepth += 1
        guard expressionDepth <= TemplateLimits.nestingDepth else {
            throw .limitExceeded("expression nested deeper than \(TemplateLimits.nestingDepth) levels",
                                 at: current.location)
        }
    }

    func make(_ kind: TemplateExpression.Kind, at location: TemplateSourceLocation) throws(ChatTemplateError)
        -> TemplateExpression
    {
        let expression = TemplateExpression(kind, at: location)
        guard expression.depth <= TemplateLimits.nestingDepth else {
            throw .limitExceeded("expression nested deeper than \(TemplateLimits.nestingDepth) levels", at: location)
        }
        return expression
    }
}
