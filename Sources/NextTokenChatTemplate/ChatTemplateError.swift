/// A position in a template (or JSON) source: 1-based line and 1-based column counted in Unicode scalars.
public struct TemplateSourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line.
    public let line: Int
    /// 1-based column, in Unicode scalars.
    public let column: Int

    /// A location at `line`, `column` (both 1-based).
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// Why a chat template could not be compiled or rendered; every case carries a message and where it happened.
public enum ChatTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The template is not valid Jinja (jinja2's `TemplateSyntaxError` / `TemplateAssertionError`).
    case syntax(String, at: TemplateSourceLocation)
    /// Valid Jinja this renderer does not implement (a tag, filter or call it does not know).
    case unsupported(String, at: TemplateSourceLocation)
    /// An undefined value was used where a value is needed (jinja2's `UndefinedError`).
    case undefined(String, at: TemplateSourceLocation)
    /// An operation failed while rendering: wrong types, bad arguments, division by zero.
    case runtime(String, at: TemplateSourceLocation)
    /// The template called `raise_exception(message)`; the payload is the template's own message.
    case raised(String, at: TemplateSourceLocation)
    /// Compiling or rendering went past a safety limit (nesting depth, output size, amount of work).
    case limitExceeded(String, at: TemplateSourceLocation)
    /// JSON input (messages, tools) could not be decoded.
    case invalidJSON(String, at: TemplateSourceLocation)

    /// The message alone, without the location.
    public var message: String {
        switch self {
        case .syntax(let message, _), .unsupported(let message, _), .undefined(let message, _),
             .runtime(let message, _), .raised(let message, _), .limitExceeded(let message, _),
             .invalidJSON(let message, _):
            message
        }
    }

    /// Where the error happened.
    public var location: TemplateSourceLocation {
        switch self {
        case .syntax(_, let at), .unsupported(_, let at), .undefined(_, let at), .runtime(_, let at),
             .raised(_, let at), .limitExceeded(_, let at), .invalidJSON(_, let at):
            at
        }
    }

    /// `line:column: message`.
    public var description: String { "\(location): \(message)" }
}
