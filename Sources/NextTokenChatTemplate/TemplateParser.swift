/// Turns tokens into statements, following jinja2's parser (and its error messages) for the tags chat
/// templates use: `if`, `for`, `set`, `macro`, `call`, `filter`, `with`, `print`, `break`, `continue` and
/// transformers' `generation`.
struct TemplateParser {
    let tokens: [TemplateToken]
    var position = 0
    /// End tags each open block is waiting for, outermost first (for "unknown tag" messages).
    var endTagStack: [[String]] = []
    /// Open tags, innermost last.
    var tagStack: [String] = []
    var statementDepth = 0
    var expressionDepth = 0
    var loopDepth = 0
    /// Names read inside each macro being parsed, to know whether it uses `varargs` / `kwargs`.
    var macroNameUses: [Set<String>] = []

    init(tokens: [TemplateToken]) {
        self.tokens = tokens
    }

    mutating func parseTemplate() throws(ChatTemplateError) -> [TemplateStatement] {
        if case .error(let error) = current.kind { throw error }
        let body = try subparse(endTags: nil)
        guard case .end = current.kind else { throw fail("unexpected \(quoted(current.description))") }
        return body
    }

    // MARK: Token stream

    var current: TemplateToken { tokens[min(position, tokens.count - 1)] }
    var next: TemplateToken { tokens[min(position + 1, tokens.count - 1)] }

    mutating func advance() throws(ChatTemplateError) {
        if position < tokens.count - 1 { position += 1 }
        if case .error(let error) = current.kind { throw error }
    }

    @discardableResult
    mutating func expectOp(_ op: String) throws(ChatTemplateError) -> TemplateToken {
        try expect(op, matches: current.isOp(op))
    }

    @discardableResult
    mutating func expectName(_ name: String? = nil) throws(ChatTemplateError) -> TemplateToken {
        try expect(name ?? "name", matches: name.map(current.isName) ?? (current.name != nil))
    }

    mutating func expectBlockEnd() throws(ChatTemplateError) {
        try expect("end of statement block", matches: current.kind == .blockEnd)
    }

    @discardableResult
    private mutating func expect(_ description: String, matches: Bool) throws(ChatTemplateError) -> TemplateToken {
        let token = current
        guard matches else {
            if case .end = token.kind {
                throw fail("unexpected end of template, expected \(quoted(description)).")
            }
            throw fail("expected token \(quoted(description)), got \(quoted(token.description))")
        }
        try advance()
        return token
    }

    func fail(_ message: String, at location: TemplateSourceLocation? = nil) -> ChatTemplateError {
        .syntax(message, at: location ?? current.location)
    }

    func quoted(_ text: String) -> String { PythonStringRepr.repr(text) }

    // MARK: Bodies

    /// Statements up to one of `endTags` (left as the current token) or the end of the template.
    mutating func subparse(endTags: [String]?) throws(ChatTemplateError) -> [TemplateStatement] {
        if let endTags { endTagStack.append(endTags) }
        defer { if endTags != nil { endTagStack.removeLast() } }
        var body: [TemplateStatement] = []
        while true {
            let token = current
            switch token.kind {
            case .data(let text):
                body.append(TemplateStatement(kind: .text(text), location: token.location))
                try advance()
            case .variableBegin:
                try advance()
                let expression = try parseTuple()
                try expect("end of print statement", matches: current.kind == .variableEnd)
                body.append(TemplateStatement(kind: .output(expression), location: token.location))
            case .blockBegin:
                try advance()
                if let endTags, let name = current.name, endTags.contains(name) { return body }
                body += try parseStatement()
                try expectBlockEnd()
            case .end:
                return body
            default:
                throw fail("unexpected \(quoted(token.description))")
            }
        }
    }

    /// `%}`, the body up to one of `endTags`, and (with `dropEndTag`) the end tag's name.
    mutating func parseBody(endTags: [String], dropEndTag: Bool = false) throws(ChatTemplateError) -> [TemplateStatement] {
        if current.isOp(":") { try advance() }
        try expectBlockEnd()
        let body = try subparse(endTags: endTags)
        if case .end = current.kind { throw unexpectedEnd(expecting: endTags) }
        if dropEndTag { try advance() }
        return body
    }

    private func unexpectedEnd(expecting endTags: [String]) -> ChatTemplateError {
        unknownTag(nil, stack: endTagStack + [endTags], at: current.location)
    }

    /// jinja2's "Encountered unknown tag" / "Unexpected end of template" message.
    private func unknownTag(_ name: String?, stack: [[String]], at location: TemplateSourceLocation) -> ChatTemplateError {
        var message = [name.map { "Encountered unknown tag \(quoted($0))." } ?? "Unexpected end of template."]
        if let innermost = stack.last {
            let looking = innermost.map(quoted).joined(separator: " or ")
            if let name, stack.joined().contains(name) {
                message.append("You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for \(looking).")
            } else {
                message.append("Jinja was looking for the following tags: \(looking).")
            }
        }
        if let innermostTag = tagStack.last {
            message.append("The innermost block that needs to be closed is \(quoted(innermostTag)).")
        }
        return .syntax(message.joined(separator: " "), at: location)
    }

    // MARK: Statements

    mutating func parseStatement() throws(ChatTemplateError) -> [TemplateStatement] {
        let token = current
        guard let name = token.name else { throw fail("tag name expected") }
        statementDepth += 1
        defer { statementDepth -= 1 }
        guard statementDepth <= TemplateLimits.nestingDepth else {
            throw .limitExceeded("blocks nested deeper than \(TemplateLimits.nestingDepth) levels", at: token.location)
        }
        let known = ["for", "if", "set", "macro", "call", "filter", "with", "print", "break", "continue", "generation"]
        guard known.contains(name) else {
            if ["block", "extends", "include", "import", "from", "autoescape"].contains(name) {
                throw .unsupported("the '\(name)' tag is not supported in chat templates", at: token.location)
            }
            throw unknownTag(name, stack: endTagStack, at: token.location)
        }
        tagStack.append(name)
        defer { tagStack.removeLast() }
        try advance()
        let location = token.location
        switch name {
        case "for": return [TemplateStatement(kind: .loop(try parseFor()), location: location)]
        case "if": return [TemplateStatement(kind: try parseIf(), location: location)]
        case "set": return [TemplateStatement(kind: try parseSet(), location: location)]
        case "macro": return [TemplateStatement(kind: .macro(try parseMacro()), location: location)]
        case "call": return [TemplateStatement(kind: try parseCallBlock(), location: location)]
        case "filter":
            let filters = try parseFilterChain(inline: true)
            let body = try parseBody(endTags: ["endfilter"], dropEndTag: true)
            return [TemplateStatement(kind: .filterBlock(filters, body: body), location: location)]
        case "with": return [TemplateStatement(kind: try parseWith(), location: location)]
        case "print":
            var outputs: [TemplateStatement] = []
            while current.kind != .blockEnd {
                if !outputs.isEmpty { try expectOp(",") }
                let expression = try parseExpression()
                outputs.append(TemplateStatement(kind: .output(expression), location: expression.location))
            }
            return outputs
        case "generation":
            return try parseBody(endTags: ["endgeneration"], dropEndTag: true)
        default:
            guard loopDepth > 0 else { throw .syntax("'\(name)' outside loop", at: location) }
            return [TemplateStatement(kind: name == "break" ? .breakLoop : .continueLoop, location: location)]
        }
    }

    private mutating func parseFor() throws(ChatTemplateError) -> TemplateLoop {
        let target = try parseAssignTarget(endNames: ["in"], allowNamespace: false)
        try expectName("in")
        let iterable = try parseTuple(withConditional: false, endNames: ["recursive"])
        var filter: TemplateExpression?
        if current.isName("if") {
            try advance()
            filter = try parseExpression()
        }
        if current.isName("recursive") {
            throw .unsupported("recursive loops are not supported", at: current.location)
        }
        loopDepth += 1
        let body = try parseBody(endTags: ["endfor", "else"])
        loopDepth -= 1
        let isElse = current.isName("else")
        try advance()
        let otherwise = isElse ? try parseBody(endTags: ["endfor"], dropEndTag: true) : []
        return TemplateLoop(target: target, iterable: iterable, filter: filter, body: body, otherwise: otherwise)
    }

    private mutating func parseIf() throws(ChatTemplateError) -> TemplateStatement.Kind {
        var branches: [(condition: TemplateExpression, body: [TemplateStatement])] = []
        while true {
            let condition = try parseTuple(withConditional: false)
            branches.append((condition, try parseBody(endTags: ["elif", "else", "endif"])))
            let tag = current
            try advance()
            if tag.isName("elif") { continue }
            let otherwise = tag.isName("else") ? try parseBody(endTags: ["endif"], dropEndTag: true) : []
            return .conditional(branches, otherwise: otherwise)
        }
    }

    private mutating func parseSet() throws(ChatTemplateError) -> TemplateStatement.Kind {
        let target = try parseAssignTarget(endNames: [], allowNamespace: true)
        if current.isOp("=") {
            try advance()
            return .assign(target, try parseTuple())
        }
        let filters = try parseFilterChain(inline: false)
        return .assignBlock(target, filters: filters, body: try parseBody(endTags: ["endset"], dropEndTag: true))
    }

    private mutating func parseMacro() throws(ChatTemplateError) -> TemplateMacro {
        let name = try expectName().name ?? ""
        let parameters = try parseSignature()
        return try parseMacroBody(name: name, parameters: parameters, endTag: "endmacro")
    }

    private mutating func parseCallBlock() throws(ChatTemplateError) -> TemplateStatement.Kind {
        let location = current.location
        let parameters = current.isOp("(") ? try parseSignature() : []
        let call = try parseExpression()
        guard case .call = call.kind else { throw .syntax("expected call", at: location) }
        return .callBlock(call, caller: try parseMacroBody(name: "caller", parameters: parameters, endTag: "endcall"))
    }

    private mutating func parseMacroBody(
        name: String, parameters: [(name: String, defaultValue: TemplateExpression?)], endTag: String
    ) throws(ChatTemplateError) -> TemplateMacro {
        let outerLoopDepth = loopDepth
        loopDepth = 0
        macroNameUses.append([])
        defer {
            loopDepth = outerLoopDepth
            macroNameUses.removeLast()
        }
        let body = try parseBody(endTags: [endTag], dropEndTag: true)
        let uses = macroNameUses.last ?? []
        return TemplateMacro(name: name, parameters: parameters, body: body,
                             acceptsExtraPositional: uses.contains("varargs"),
                             acceptsExtraKeywords: uses.contains("kwargs"))
    }

    /// `(a, b=default, ...)`.
    private mutating func parseSignature() throws(ChatTemplateError) -> [(name: String, defaultValue: TemplateExpression?)] {
        var parameters: [(name: String, defaultValue: TemplateExpression?)] = []
        try expectOp("(")
        while !current.isOp(")") {
            if !parameters.isEmpty { try expectOp(",") }
            let name = try expectName().name ?? ""
            if current.isOp("=") {
                try advance()
                parameters.append((name, try parseExpression()))
            } else if parameters.contains(where: { $0.defaultValue != nil }) {
                throw fail("non-default argument follows default argument")
            } else {
                parameters.append((name, nil))
            }
        }
        try expectOp(")")
        return parameters
    }

    private mutating func parseWith() throws(ChatTemplateError) -> TemplateStatement.Kind {
        var assignments: [(target: TemplateAssignTarget, value: TemplateExpression)] = []
        while current.kind != .blockEnd {
            if !assignments.isEmpty { try expectOp(",") }
            let target = try parseAssignTarget(endNames: [], allowNamespace: false)
            try expectOp("=")
            assignments.append((target, try parseExpression()))
        }
        return .scope(assignments, body: try parseBody(endTags: ["endwith"], dropEndTag: true))
    }

    /// A name, `ns.attribute` (with `allowNamespace`) or a tuple of names.
    private mutating func parseAssignTarget(endNames: [String], allowNamespace: Bool) throws(ChatTemplateError)
        -> TemplateAssignTarget
    {
        if allowNamespace, let name = current.name, next.isOp(".") {
            try advance()
            try advance()
            return .namespaceAttribute(name, try expectName().name ?? "")
        }
        let expression = try parseTuple(simplified: true, endNames: endNames)
        return try assignTarget(expression)
    }

    private func assignTarget(_ expression: TemplateExpression) throws(ChatTemplateError) -> TemplateAssignTarget {
        switch expression.kind {
        case .name(let name):
            return .name(name)
        case .tuple(let items):
            var targets: [TemplateAssignTarget] = []
            for item in items { targets.append(try assignTarget(item)) }
            return .tuple(targets)
        default:
            throw .syntax("can't assign to \(quoted(expression.nodeName))", at: expression.location)
        }
    }
}
