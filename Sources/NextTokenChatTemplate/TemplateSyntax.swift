/// An expression of a parsed template, with where it starts and how deep its tree is.
struct TemplateExpression: Sendable {
    indirect enum Kind: Sendable {
        case literal(TemplateValue)
        case name(String)
        case list([TemplateExpression])
        /// `(a, b)`: evaluates to a list too, but may be an assignment target.
        case tuple([TemplateExpression])
        case dictionary([TemplateExpression], [TemplateExpression])
        case attribute(TemplateExpression, String)
        case item(TemplateExpression, TemplateExpression)
        case slice(TemplateExpression, TemplateExpression?, TemplateExpression?, TemplateExpression?)
        case call(TemplateExpression, TemplateArguments)
        case filter(TemplateExpression, TemplateFilterCall)
        case test(TemplateExpression, name: String, TemplateArguments)
        case not(TemplateExpression)
        case negate(TemplateExpression)
        case plus(TemplateExpression)
        case binary(TemplateBinaryOperator, TemplateExpression, TemplateExpression)
        case concat([TemplateExpression])
        case and(TemplateExpression, TemplateExpression)
        case or(TemplateExpression, TemplateExpression)
        case compare(TemplateExpression, [TemplateComparison])
        case conditional(TemplateExpression, condition: TemplateExpression, otherwise: TemplateExpression?)
    }

    let kind: Kind
    let location: TemplateSourceLocation
    /// 1 for a leaf; bounded by the parser so evaluating (and freeing) the tree cannot exhaust the stack.
    let depth: Int

    init(_ kind: Kind, at location: TemplateSourceLocation) {
        self.kind = kind
        self.location = location
        depth = 1 + (kind.children.map(\.depth).max() ?? 0)
    }
}

extension TemplateExpression.Kind {
    fileprivate var children: [TemplateExpression] {
        switch self {
        case .literal, .name: []
        case .list(let items), .tuple(let items), .concat(let items): items
        case .dictionary(let keys, let values): keys + values
        case .attribute(let base, _), .not(let base), .negate(let base), .plus(let base): [base]
        case .item(let base, let key): [base, key]
        case .slice(let base, let start, let stop, let step): [base] + [start, stop, step].compactMap { $0 }
        case .call(let callee, let arguments): [callee] + arguments.expressions
        case .filter(let base, let filter): [base] + filter.arguments.expressions
        case .test(let base, _, let arguments): [base] + arguments.expressions
        case .binary(_, let lhs, let rhs), .and(let lhs, let rhs), .or(let lhs, let rhs): [lhs, rhs]
        case .compare(let first, let rest): [first] + rest.map(\.operand)
        case .conditional(let value, let condition, let otherwise): [value, condition] + [otherwise].compactMap { $0 }
        }
    }
}

extension TemplateExpression {
    /// jinja2's node class name, lower-cased, for "can't assign to ..." messages.
    var nodeName: String {
        switch kind {
        case .literal: "const"
        case .name: "name"
        case .list: "list"
        case .tuple: "tuple"
        case .dictionary: "dict"
        case .attribute: "getattr"
        case .item, .slice: "getitem"
        case .call: "call"
        case .filter: "filter"
        case .test: "test"
        case .not: "not"
        case .negate: "neg"
        case .plus: "pos"
        case .binary(let op, _, _):
            switch op {
            case .add: "add"
            case .subtract: "sub"
            case .multiply: "mul"
            case .divide: "div"
            case .floorDivide: "floordiv"
            case .modulo: "mod"
            case .power: "pow"
            }
        case .concat: "concat"
        case .and: "and"
        case .or: "or"
        case .compare: "compare"
        case .conditional: "condexpr"
        }
    }
}

/// The arguments of a call, filter or test: `f(a, b, key=c, *list, **dict)`.
struct TemplateArguments: Sendable {
    var positional: [TemplateExpression] = []
    var keywords: [(name: String, value: TemplateExpression)] = []
    var splat: TemplateExpression?
    var doubleSplat: TemplateExpression?

    var expressions: [TemplateExpression] {
        positional + keywords.map(\.value) + [splat, doubleSplat].compactMap { $0 }
    }
}

/// `| name(arguments)`.
struct TemplateFilterCall: Sendable {
    let name: String
    let arguments: TemplateArguments
    let location: TemplateSourceLocation
}

enum TemplateBinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
}

/// One link of a comparison chain (`a < b <= c`).
struct TemplateComparison: Sendable {
    enum Operator: String, Sendable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case contains = "in", notContains = "not in"
    }

    let op: Operator
    let operand: TemplateExpression
}

/// What `set`, `for` and `with` assign to.
indirect enum TemplateAssignTarget: Sendable {
    case name(String)
    case tuple([TemplateAssignTarget])
    /// `ns.attribute`, allowed on namespaces only.
    case namespaceAttribute(String, String)
}

/// A statement of a parsed template.
struct TemplateStatement: Sendable {
    indirect enum Kind: Sendable {
        case text(String)
        case output(TemplateExpression)
        case conditional([(condition: TemplateExpression, body: [TemplateStatement])], otherwise: [TemplateStatement])
        case loop(TemplateLoop)
        case assign(TemplateAssignTarget, TemplateExpression)
        case assignBlock(TemplateAssignTarget, filters: [TemplateFilterCall], body: [TemplateStatement])
        case macro(TemplateMacro)
        case callBlock(TemplateExpression, caller: TemplateMacro)
        case filterBlock([TemplateFilterCall], body: [TemplateStatement])
        case scope([(target: TemplateAssignTarget, value: TemplateExpression)], body: [TemplateStatement])
        case breakLoop
        case continueLoop
    }

    let kind: Kind
    let location: TemplateSourceLocation
}

/// `{% for target in iterable if filter %} body {% else %} otherwise {% endfor %}`.
struct TemplateLoop: Sendable {
    let target: TemplateAssignTarget
    let iterable: TemplateExpression
    let filter: TemplateExpression?
    let body: [TemplateStatement]
    let otherwise: [TemplateStatement]
}

/// A `{% macro %}` (or the body of a `{% call %}` block, named `caller`).
struct TemplateMacro: Sendable {
    let name: String
    let parameters: [(name: String, defaultValue: TemplateExpression?)]
    let body: [TemplateStatement]
    /// Whether the body reads `varargs` / `kwargs`: only then may callers pass extra arguments.
    let acceptsExtraPositional: Bool
    let acceptsExtraKeywords: Bool
}
