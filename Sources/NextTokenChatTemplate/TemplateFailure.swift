/// An error raised by an operation on values, before the renderer knows where in the template it happened;
/// the renderer turns it into a ``ChatTemplateError`` at the expression's location.
struct TemplateFailure: Error {
    enum Kind {
        case undefined, runtime, unsupported, limitExceeded, raised
    }

    let kind: Kind
    let message: String

    static func runtime(_ message: String) -> TemplateFailure { TemplateFailure(kind: .runtime, message: message) }
    static func undefined(_ message: String) -> TemplateFailure { TemplateFailure(kind: .undefined, message: message) }
    static func unsupported(_ message: String) -> TemplateFailure {
        TemplateFailure(kind: .unsupported, message: message)
    }
    static func limit(_ message: String) -> TemplateFailure { TemplateFailure(kind: .limitExceeded, message: message) }

    /// `TypeError: unsupported operand type(s) for op: 'a' and 'b'`, or the undefined value's own error when
    /// an operand is undefined (as jinja2's `Undefined` raises on arithmetic).
    static func operands(_ op: String, _ lhs: TemplateValue, _ rhs: TemplateValue) -> TemplateFailure {
        if case .undefined(let message) = lhs { return .undefined(message) }
        if case .undefined(let message) = rhs { return .undefined(message) }
        return .runtime("unsupported operand type(s) for \(op): '\(lhs.typeName)' and '\(rhs.typeName)'")
    }

    func error(at location: TemplateSourceLocation) -> ChatTemplateError {
        switch kind {
        case .undefined: .undefined(message, at: location)
        case .runtime: .runtime(message, at: location)
        case .unsupported: .unsupported(message, at: location)
        case .limitExceeded: .limitExceeded(message, at: location)
        case .raised: .raised(message, at: location)
        }
    }
}

/// Sizes past which rendering stops with ``ChatTemplateError/limitExceeded(_:at:)`` instead of exhausting
/// memory, stack or time.
enum TemplateLimits {
    /// Deepest nesting of expressions and blocks in a template, of values in JSON, and of macro calls.
    static let nestingDepth = 256
    /// Deepest recursion of the renderer: statements, expressions and macro calls together.
    static let renderDepth = 640
    /// Largest output, and largest single string a template may build, in UTF-8 bytes.
    static let outputBytes = 16 << 20
    /// Most elements a template may build into one list (`range`, `*`, `+`).
    static let listCount = 1 << 20
    /// Most evaluation steps (expressions and statements) one render may take.
    static let steps = 10_000_000
}
