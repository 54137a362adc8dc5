import Foundation

/// Runs a parsed template against a context and collects its output. One renderer serves one render call.
final class TemplateRenderer {
    /// What a statement asks of the loop around it.
    enum Flow { case normal, breakLoop, continueLoop }

    private(set) var output = ""
    private var steps = 0
    private var depth = 0
    private var macroDepth = 0
    let now: Date

    init(now: Date) {
        self.now = now
    }

    func render(_ body: [TemplateStatement], in scope: TemplateScope) throws(ChatTemplateError) -> Flow {
        for statement in body {
            let flow = try execute(statement, in: scope)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private func execute(_ statement: TemplateStatement, in scope: TemplateScope) throws(ChatTemplateError) -> Flow {
        try enter(statement.location)
        defer { leave() }
        let location = statement.location
        switch statement.kind {
        case .text(let text):
            try write(text, at: location)
        case .output(let expression):
            try write(try evaluate(expression, in: scope).printed, at: expression.location)
        case .conditional(let branches, let otherwise):
            for branch in branches {
                if try evaluate(branch.condition, in: scope).isTruthy { return try render(branch.body, in: scope) }
            }
            return try render(otherwise, in: scope)
        case .loop(let loop):
            return try run(loop, in: scope, at: location)
        case .assign(let target, let expression):
            try assign(target, try evaluate(expression, in: scope), in: scope, at: location)
        case .assignBlock(let target, let filters, let body):
            let text = try capture { () throws(ChatTemplateError) in _ = try self.render(body, in: scope) }
            try assign(target, try applyFilters(filters, to: .string(text), in: scope), in: scope, at: location)
        case .macro(let macro):
            scope.set(macro.name, .callable(TemplateCallable(.macro(macro, scope))))
        case .callBlock(let call, let caller):
            guard case .call(let callee, let arguments) = call.kind else { return .normal }
            var values = try evaluate(arguments, in: scope)
            values.keywords.append(("caller", .callable(TemplateCallable(.macro(caller, scope)))))
            let result = try invoke(try evaluate(callee, in: scope), values, at: call.location)
            try write(result.printed, at: location)
        case .filterBlock(let filters, let body):
            let text = try capture { () throws(ChatTemplateError) in _ = try self.render(body, in: scope) }
            try write(try applyFilters(filters, to: .string(text), in: scope).printed, at: location)
        case .scope(let assignments, let body):
            let inner = TemplateScope(parent: scope)
            var values: [TemplateValue] = []
            for assignment in assignments { values.append(try evaluate(assignment.value, in: scope)) }
            for (assignment, value) in zip(assignments, values) {
                try assign(assignment.target, value, in: inner, at: location)
            }
            return try render(body, in: inner)
        case .breakLoop:
            return .breakLoop
        case .continueLoop:
            return .continueLoop
        }
        return .normal
    }

    // MARK: Loops and assignment

    private func run(_ loop: TemplateLoop, in scope: TemplateScope, at location: TemplateSourceLocation)
        throws(ChatTemplateError) -> Flow
    {
        let iterable = try evaluate(loop.iterable, in: scope)
        var items = try at(loop.iterable.location) { () throws(TemplateFailure) in try iterable.iterated() }
        if let filter = loop.filter {
            var kept: [TemplateValue] = []
            for item in items {
                let itemScope = TemplateScope(parent: scope)
                try assign(loop.target, item, in: itemScope, at: location)
                if try evaluate(filter, in: itemScope).isTruthy { kept.append(item) }
            }
            items = kept
        }
        guard !items.isEmpty else { return try render(loop.otherwise, in: scope) }
        for (index, item) in items.enumerated() {
            try enter(location)
            leave()
            let iterationScope = TemplateScope(parent: scope)
            try assign(loop.target, item, in: iterationScope, at: location)
            iterationScope.set("loop", Self.loopObject(index: index, items: items))
            if try render(loop.body, in: iterationScope) == .breakLoop { break }
        }
        return .normal
    }

    /// The `loop` variable: `index`, `index0`, `revindex`, `revindex0`, `first`, `last`, `length`, `depth`,
    /// `depth0`, `previtem` and `nextitem` where they exist, and `cycle(...)`.
    private static func loopObject(index: Int, items: [TemplateValue]) -> TemplateValue {
        let count = items.count
        var loop = TemplateDictionary()
        loop["index"] = .int(index + 1)
        loop["index0"] = .int(index)
        loop["revindex"] = .int(count - index)
        loop["revindex0"] = .int(count - index - 1)
        loop["first"] = .bool(index == 0)
        loop["last"] = .bool(index == count - 1)
        loop["length"] = .int(count)
        loop["depth"] = .int(1)
        loop["depth0"] = .int(0)
        if index > 0 { loop["previtem"] = items[index - 1] }
        if index + 1 < count { loop["nextitem"] = items[index + 1] }
        loop["cycle"] = .callable(TemplateCallable(.loopCycle(index: index)))
        return .dictionary(loop)
    }

    private func assign(
        _ target: TemplateAssignTarget, _ value: TemplateValue, in scope: TemplateScope,
        at location: TemplateSourceLocation
    ) throws(ChatTemplateError) {
        switch target {
        case .name(let name):
            scope.set(name, value)
        case .tuple(let targets):
            let items = try at(location) { () throws(TemplateFailure) in try value.iterated() }
            guard items.count == targets.count else {
                throw .runtime(items.count > targets.count
                    ? "too many values to unpack (expected \(targets.count))"
                    : "not enough values to unpack (expected \(targets.count), got \(items.count))", at: location)
            }
            for (subtarget, item) in zip(targets, items) { try assign(subtarget, item, in: scope, at: location) }
        case .namespaceAttribute(let name, let attribute):
            guard case .namespace(let namespace)? = scope.lookup(name) else {
                throw .runtime("cannot assign attribute on non-namespace object", at: location)
            }
            namespace.attributes[attribute] = value
        }
    }

    // MARK: Macros and calls

    func invoke(_ callee: TemplateValue, _ arguments: CallArguments, at location: TemplateSourceLocation)
        throws(ChatTemplateError) -> TemplateValue
    {
        guard case .callable(let callable) = callee else {
            if case .undefined(let message) = callee { throw .undefined(message, at: location) }
            throw .runtime("'\(callee.typeName)' object is not callable", at: location)
        }
        switch callable.kind {
        case .global(let name):
            let result = try at(location) { () throws(TemplateFailure) in
                try TemplateGlobals.call(name, arguments, now: now)
            }
            if case .namespace(let namespace) = result { _ = try checkNesting(.dictionary(namespace.attributes), at: location) }
            return try checkNesting(result, at: location)
        case .method(let receiver, let name):
            return try at(location) { () throws(TemplateFailure) in try TemplateMethods.call(receiver, name, arguments) }
        case .macro(let macro, let definitionScope):
            return try call(macro, definedIn: definitionScope, arguments, at: location)
        case .loopCycle(let index):
            guard !arguments.positional.isEmpty else { throw .runtime("no items for cycling given", at: location) }
            return arguments.positional[index % arguments.positional.count]
        }
    }

    private func call(
        _ macro: TemplateMacro, definedIn definitionScope: TemplateScope, _ arguments: CallArguments,
        at location: TemplateSourceLocation
    ) throws(ChatTemplateError) -> TemplateValue {
        guard macroDepth < TemplateLimits.nestingDepth else {
            throw .limitExceeded("macro calls nested deeper than \(TemplateLimits.nestingDepth) levels", at: location)
        }
        macroDepth += 1
        defer { macroDepth -= 1 }
        let scope = TemplateScope(parent: definitionScope)
        let names = macro.parameters.map(\.name)
        var provided: [String: TemplateValue] = [:]
        for (index, value) in arguments.positional.prefix(names.count).enumerated() { provided[names[index]] = value }
        let extraPositional = Array(arguments.positional.dropFirst(names.count))
        if !extraPositional.isEmpty, !macro.acceptsExtraPositional {
            throw .runtime("macro '\(macro.name)' takes not more than \(names.count) argument(s)", at: location)
        }
        var extraKeywords = TemplateDictionary()
        for (name, value) in arguments.keywords {
            if name == "caller", !names.contains(name) {
                scope.set("caller", value)
            } else if names.contains(name) {
                guard provided[name] == nil else {
                    throw .runtime("macro '\(macro.name)' got multiple values for argument '\(name)'", at: location)
                }
                provided[name] = value
            } else if macro.acceptsExtraKeywords {
                extraKeywords[name] = value
            } else {
                throw .runtime("macro '\(macro.name)' takes no keyword argument '\(name)'", at: location)
            }
        }
        for parameter in macro.parameters {
            if let value = provided[parameter.name] {
                scope.set(parameter.name, value)
            } else if let defaultValue = parameter.defaultValue {
                scope.set(parameter.name, try evaluate(defaultValue, in: scope))
            } else {
                scope.set(parameter.name, .undefined("parameter '\(parameter.name)' was not provided"))
            }
        }
        scope.set("varargs", .array(extraPositional))
        scope.set("kwargs", .dictionary(extraKeywords))
        return .string(try capture { () throws(ChatTemplateError) in _ = try self.render(macro.body, in: scope) })
    }

    func applyFilters(_ filters: [TemplateFilterCall], to value: TemplateValue, in scope: TemplateScope)
        throws(ChatTemplateError) -> TemplateValue
    {
        var current = value
        for filter in filters {
            let arguments = try evaluate(filter.arguments, in: scope)
            let input = current
            current = try at(filter.location) { () throws(TemplateFailure) in
                try TemplateFilters.apply(filter.name, input, arguments)
            }
        }
        return current
    }

    // MARK: Output and limits

    private func write(_ text: String, at location: TemplateSourceLocation) throws(ChatTemplateError) {
        output += text
        guard output.utf8.count <= TemplateLimits.outputBytes else {
            throw .limitExceeded("output longer than \(TemplateLimits.outputBytes) bytes", at: location)
        }
    }

    /// Runs `body` with a fresh output buffer and returns what it wrote.
    private func capture(_ body: () throws(ChatTemplateError) -> Void) throws(ChatTemplateError) -> String {
        let saved = output
        output = ""
        defer { output = saved }
        try body()
        return output
    }

    /// Counts one step of work and one level of nesting; throws past the limits.
    func enter(_ location: TemplateSourceLocation) throws(ChatTemplateError) {
        steps += 1
        guard steps <= TemplateLimits.steps else {
            throw .limitExceeded("rendering took more than \(TemplateLimits.steps) steps", at: location)
        }
        guard depth < TemplateLimits.renderDepth else {
            throw .limitExceeded("rendering nested deeper than \(TemplateLimits.renderDepth) levels", at: location)
        }
        depth += 1
    }

    func leave() { depth -= 1 }

    /// Refuses values that nest containers deeper than the limit, so printing, comparing and freeing them
    /// cannot exhaust the stack; the containers looked at count as work.
    func checkNesting(_ value: TemplateValue, at location: TemplateSourceLocation) throws(ChatTemplateError)
        -> TemplateValue
    {
        var visited = 0
        let tooDeep = value.nestsDeeper(than: TemplateLimits.nestingDepth, visited: &visited)
        steps += visited
        guard !tooDeep else {
            throw .limitExceeded("values nested deeper than \(TemplateLimits.nestingDepth) levels", at: location)
        }
        guard steps <= TemplateLimits.steps else {
            throw .limitExceeded("rendering took more than \(TemplateLimits.steps) steps", at: location)
        }
        return value
    }

    /// Runs a value operation, placing its failure at `location`.
    func at<T>(_ location: TemplateSourceLocation, _ body: () throws(TemplateFailure) -> T) throws(ChatTemplateError) -> T {
        do throws(TemplateFailure) {
            return try body()
        } catch {
            throw error.error(at: location)
        }
    }
}
