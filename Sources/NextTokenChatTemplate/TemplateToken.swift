/// One token of a template: literal text, a delimiter, or a piece of an expression.
struct TemplateToken: Sendable {
    enum Kind: Sendable, Equatable {
        case data(String)
        case variableBegin, variableEnd, blockBegin, blockEnd
        case name(String)
        case string(String)
        case integer(Int)
        case float(Double)
        case op(String)
        case end
        /// The lexer stopped here; the parser raises this error when it reaches the token, as jinja2's lazy
        /// lexer raises only once the parser asks for it (earlier parse errors win).
        case error(ChatTemplateError)
    }

    let kind: Kind
    let location: TemplateSourceLocation

    /// How jinja2 names the token in error messages (`describe_token`).
    var description: String {
        switch kind {
        case .data: "template data / text"
        case .variableBegin: "begin of print statement"
        case .variableEnd: "end of print statement"
        case .blockBegin: "begin of statement block"
        case .blockEnd: "end of statement block"
        case .name(let name): name
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .op(let op): op
        case .end: "end of template"
        case .error: "error"
        }
    }

    func isName(_ name: String) -> Bool { kind == .name(name) }
    func isOp(_ op: String) -> Bool { kind == .op(op) }

    var name: String? {
        if case .name(let name) = kind { return name }
        return nil
    }
}
