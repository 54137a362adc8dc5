/// What follows a primary expression: `.name`, `[key]`, `[a:b:c]`, `(arguments)`, `| filter` and `is test`.
extension TemplateParser {
    mutating func parsePostfix(_ base: TemplateExpression) throws(ChatTemplateError) -> TemplateExpression {
        var expression = base
        while true {
            switch current.kind {
            case .op("."), .op("["): expression = try parseSubscript(expression)
            case .op("("): expression = try parseCall(expression)
            default: return expression
            }
        }
    }

    mutating func parseFilterSuffixes(_ base: TemplateExpression) throws(ChatTemplateError) -> TemplateExpression {
        var expression = base
        while true {
            switch current.kind {
            case .op("|"):
                try advance()
                let filter = try parseFilter()
                expression = try make(.filter(expression, filter), at: filter.location)
            case .name("is"):
                expression = try parseTest(expression)
            case .op("("):
                expression = try parseCall(expression)
            default:
                return expression
            }
        }
    }

    private mutating func parseSubscript(_ base: TemplateExpression) throws(ChatTemplateError) -> TemplateExpression {
        let token = current
        try advance()
        if token.isOp(".") {
            let attribute = current
            try advance()
            switch attribute.kind {
            case .name(let name): return try make(.attribute(base, name), at: token.location)
            case .integer(let index): return try make(.item(base, try make(.literal(.int(index)), at: attribute.location)), at: token.location)
            default: throw fail("expected name or number", at: attribute.location)
            }
        }
        var arguments: [TemplateExpression] = []
        while !current.isOp("]") {
            if !arguments.isEmpty { try expectOp(",") }
            arguments.append(try parseSubscribed(base))
        }
        try expectOp("]")
        if arguments.count == 1, case .slice = arguments[0].kind { return arguments[0] }
        let key = arguments.count == 1 ? arguments[0] : try make(.tuple(arguments), at: token.location)
        return try make(.item(base, key), at: token.location)
    }

    /// One subscript: an expression, or a slice `start:stop:step` of `base`.
    private mutating func parseSubscribed(_ base: TemplateExpression) throws(ChatTemplateError) -> TemplateExpression {
        let location = current.location
        var start: TemplateExpression?
        if current.isOp(":") {
            try advance()
        } else {
            let expression = try parseExpression()
            guard current.isOp(":") else { return expression }
            try advance()
            start = expression
        }
        let endsPart = { (token: TemplateToken) in token.isOp("]") || token.isOp(",") || token.isOp(":") }
        let stop = endsPart(current) ? nil : try parseExpression()
        var step: TemplateExpression?
        if current.isOp(":") {
            try advance()
            if !(current.isOp("]") || current.isOp(",")) { step = try parseExpression() }
        }
        return try make(.slice(base, start, stop, step), at: location)
    }

    /// `callee(arguments)`, located where the callee starts (errors of the call point at what was called).
    private mutating func parseCall(_ callee: TemplateExpression) throws(ChatTemplateError) -> TemplateExpression {
        try make(.call(callee, try parseCallArguments()), at: callee.location)
    }

    mutating func parseCallArguments() throws(ChatTemplateError) -> TemplateArguments {
        let open = try expectOp("(")
        var arguments = TemplateArguments()
        var needsComma = false
        let invalid = ChatTemplateError.syntax("invalid syntax for function call expression", at: open.location)
        while !current.isOp(")") {
            if needsComma {
                try expectOp(",")
                if current.isOp(")") { break }
            }
            if current.isOp("*") {
                guard arguments.splat == nil, arguments.doubleSplat == nil else { throw invalid }
                try advance()
                arguments.splat = try parseExpression()
            } else if current.isOp("**") {
                guard arguments.doubleSplat == nil else { throw invalid }
                try advance()
                arguments.doubleSplat = try parseExpression()
            } else if let name = current.name, next.isOp("=") {
                guard arguments.doubleSplat == nil else { throw invalid }
                try advance()
                try advance()
                arguments.keywords.append((name, try parseExpression()))
            } else {
                guard arguments.splat == nil, arguments.doubleSplat == nil, arguments.keywords.isEmpty else {
                    throw invalid
                }
                arguments.positional.append(try parseExpression())
            }
            needsComma = true
        }
        try expectOp(")")
        return arguments
    }

    /// `name` or `name(arguments)` after a `|`; the filter must exist in jinja2.
    private mutating func parseFilter() throws(ChatTemplateError) -> TemplateFilterCall {
        let token = try expectName()
        var name = token.name ?? ""
        while current.isOp(".") {
            try advance()
            name += "." + (try expectName().name ?? "")
        }
        guard TemplateFilters.jinjaNames.contains(name) else {
            throw .syntax("No filter named \(quoted(name)).", at: token.location)
        }
        guard TemplateFilters.supportedNames.contains(name) else {
            throw .unsupported("the '\(name)' filter is not supported", at: token.location)
        }
        let arguments = current.isOp("(") ? try parseCallArguments() : TemplateArguments()
        return TemplateFilterCall(name: name, arguments: arguments, location: token.location)
    }

    /// The filters of a `{% filter %}` block (`inline`: the first has no `|`) or of a block `{% set x | f %}`.
    mutating func parseFilterChain(inline: Bool) throws(ChatTemplateError) -> [TemplateFilterCall] {
        var filters: [TemplateFilterCall] = []
        var first = inline
        while current.isOp("|") || first {
            if !first { try advance() }
            first = false
            filters.append(try parseFilter())
        }
        return filters
    }

    private mutating func parseTest(_ base: TemplateExpression) throws(ChatTemplateError) -> TemplateExpression {
        let location = current.location
        try advance()
        var negated = false
        if current.isName("not") {
            try advance()
            negated = true
        }
        let token = try expectName()
        var name = token.name ?? ""
        while current.isOp(".") {
            try advance()
            name += "." + (try expectName().name ?? "")
        }
        guard TemplateTestFunctions.jinjaNames.contains(name) else {
            throw .syntax("No test named \(quoted(name)).", at: token.location)
        }
        var arguments = TemplateArguments()
        switch current.kind {
        case .op("("):
            arguments = try parseCallArguments()
        case .name("else"), .name("or"), .name("and"):
            break
        case .name("is"):
            throw fail("You cannot chain multiple tests with is")
        case .name, .string, .integer, .float, .op("["), .op("{"):
            arguments.positional = [try parsePostfix(try parsePrimary())]
        default:
            break
        }
        let test = try make(.test(base, name: name, arguments), at: location)
        return negated ? try make(.not(test), at: location) : test
    }
}
