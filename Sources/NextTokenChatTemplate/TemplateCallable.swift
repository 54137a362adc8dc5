/// Something a template can call: a macro, a global function (`range`, `namespace`, `raise_exception`, ...),
/// a method bound to a value (`content.strip`, `message.items`) or `loop.cycle`.
public final class TemplateCallable: @unchecked Sendable {
    // Invariant: callables are created by the renderer during one `render` call and only used by that call on
    // the calling thread (a macro's scope is mutable); renders return strings, so callables never escape.
    enum Kind {
        case global(String)
        case method(TemplateValue, String)
        case macro(TemplateMacro, TemplateScope)
        case loopCycle(index: Int)
    }

    let kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
    }

    /// How Python prints it (addresses left out).
    var repr: String {
        switch kind {
        case .global(let name): "<function \(name)>"
        case .method(let receiver, let name): "<built-in method \(name) of \(receiver.typeName) object>"
        case .macro(let macro, _): "<Macro \(PythonStringRepr.repr(macro.name))>"
        case .loopCycle: "<bound method LoopContext.cycle>"
        }
    }
}

/// Variables visible to a part of the template; lookups fall through to the enclosing scope.
///
/// `for` iterations, macro calls and `with` blocks get a scope of their own, so `set` inside them does not
/// leak out (jinja2's scoping); `if` blocks share their parent's.
final class TemplateScope {
    private var variables: [String: TemplateValue] = [:]
    private let parent: TemplateScope?

    init(parent: TemplateScope?) {
        self.parent = parent
    }

    func lookup(_ name: String) -> TemplateValue? {
        var scope: TemplateScope? = self
        while let current = scope {
            if let value = current.variables[name] { return value }
            scope = current.parent
        }
        return nil
    }

    func set(_ name: String, _ value: TemplateValue) {
        variables[name] = value
    }
}

/// Evaluated call arguments: positional values, then keyword values in call order.
struct CallArguments {
    var positional: [TemplateValue] = []
    var keywords: [(name: String, value: TemplateValue)] = []

    /// Binds the arguments to `parameters` as Python does: positionals first, then keywords by name.
    /// - Returns: one slot per parameter, `nil` where the caller passed nothing.
    func bind(_ parameters: [String], function: String) throws(TemplateFailure) -> [TemplateValue?] {
        guard positional.count <= parameters.count else {
            throw .runtime("\(function)() takes at most \(parameters.count) argument(s) (\(positional.count) given)")
        }
        var slots: [TemplateValue?] = positional.map { $0 } + Array(repeating: nil, count: parameters.count - positional.count)
        for (name, value) in keywords {
            guard let index = parameters.firstIndex(of: name) else {
                throw .runtime("\(function)() got an unexpected keyword argument '\(name)'")
            }
            guard slots[index] == nil else {
                throw .runtime("\(function)() got multiple values for argument '\(name)'")
            }
            slots[index] = value
        }
        return slots
    }
}
