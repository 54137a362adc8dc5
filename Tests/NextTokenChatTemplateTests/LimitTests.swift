import NextTokenChatTemplate
import Testing

@Suite("Deep nesting and runaway templates end in errors, never crashes")
struct LimitTests {
    static func compileError(_ source: String) -> ChatTemplateError? {
        do {
            _ = try ChatTemplate(source: source)
            return nil
        } catch {
            return error
        }
    }

    static func renderError(_ source: String) throws -> ChatTemplateError? {
        let template = try ChatTemplate(source: source)
        do throws(ChatTemplateError) {
            _ = try template.render(context: [:])
            return nil
        } catch {
            return error
        }
    }

    static func isLimit(_ error: ChatTemplateError?) -> Bool {
        if case .limitExceeded? = error { return true }
        return false
    }

    @Test("deeply nested syntax is rejected at compile time", arguments: [
        String(repeating: "(", count: 20_000) + "1" + String(repeating: ")", count: 20_000),
        String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000),
        String(repeating: "{'a': ", count: 5_000) + "1" + String(repeating: "}", count: 5_000),
        String(repeating: "not ", count: 20_000) + "x",
        String(repeating: "- ", count: 20_000) + "1",
        "1" + String(repeating: " + 1", count: 20_000),
        "x" + String(repeating: " if y else x", count: 20_000),
        "x" + String(repeating: " | trim", count: 20_000),
        "x" + String(repeating: ".a", count: 20_000),
        "f" + String(repeating: "(f", count: 20_000) + String(repeating: ")", count: 20_001),
    ])
    func deepExpressions(_ expression: String) {
        #expect(Self.isLimit(Self.compileError("{{ " + expression + " }}")))
    }

    @Test("deeply nested blocks are rejected at compile time")
    func deepBlocks() {
        let ifs = String(repeating: "{% if true %}", count: 20_000) + String(repeating: "{% endif %}", count: 20_000)
        #expect(Self.isLimit(Self.compileError(ifs)))
        let fors = String(repeating: "{% for x in [1] %}", count: 20_000) + String(repeating: "{% endfor %}", count: 20_000)
        #expect(Self.isLimit(Self.compileError(fors)))
    }

    @Test("nesting just under the limits still renders")
    func nestingUnderTheLimit() throws {
        let parens = String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
        let blocks = String(repeating: "{% if true %}", count: 200) + "{{ \(parens) }}"
            + String(repeating: "{% endif %}", count: 200)
        let template = try ChatTemplate(source: blocks)
        #expect(try template.render(context: [:]) == "1")
    }

    @Test("unbounded macro recursion stops at the depth limit")
    func macroRecursion() throws {
        let error = try Self.renderError("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}")
        #expect(Self.isLimit(error))
        let deepBody = "{% macro f(n) %}" + String(repeating: "{% if true %}", count: 100) + "{{ f(n + 1) }}"
            + String(repeating: "{% endif %}", count: 100) + "{% endmacro %}{{ f(0) }}"
        #expect(Self.isLimit(try Self.renderError(deepBody)))
    }

    @Test("values nested by loops or recursion stop at the depth limit; self-containing namespaces still print")
    func deepValues() throws {
        let wrapList = "{% set ns = namespace(x=0) %}{% for i in range(100000) %}{% set ns.x = [ns.x] %}{% endfor %}{{ ns.x }}"
        #expect(Self.isLimit(try Self.renderError(wrapList)))
        let wrapDict = "{% set ns = namespace(x=0) %}{% for i in range(100000) %}{% set ns.x = {'k': ns.x} %}{% endfor %}"
        #expect(Self.isLimit(try Self.renderError(wrapDict)))
        let wrapCall = "{% set ns = namespace(x=0) %}{% for i in range(100000) %}{% set ns.x = dict(k=ns.x) %}{% endfor %}"
        #expect(Self.isLimit(try Self.renderError(wrapCall)))
        let recursion = "{% macro f(x) %}{{ f([[[[[[[[[[x]]]]]]]]]]) }}{% endmacro %}{{ f(0) }}"
        #expect(Self.isLimit(try Self.renderError(recursion)))
        let selfish = try ChatTemplate(source: "{% set ns = namespace(a=1) %}{% set ns.me = ns %}{{ ns }}")
        #expect(try selfish.render(context: [:]).hasPrefix("<Namespace {'a': 1, 'me': <Namespace {'a': 1, 'me': "))
    }

    @Test("output, string growth, list growth and total work are bounded")
    func runawayRenders() throws {
        #expect(Self.isLimit(try Self.renderError("{% for i in range(100000) %}{{ 'x' * 10000 }}{% endfor %}")))
        #expect(Self.isLimit(try Self.renderError(
            "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}")))
        #expect(Self.isLimit(try Self.renderError(
            "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}")))
        #expect(Self.isLimit(try Self.renderError("{{ 'x' * 100000000 }}")))
        #expect(Self.isLimit(try Self.renderError("{{ [1] * 100000000 }}")))
        #expect(Self.isLimit(try Self.renderError("{{ range(100000000) | length }}")))
        let busy = "{% for i in range(1000000) %}{% set _ = [" + Array(repeating: "0", count: 2000).joined(separator: ",")
            + "] %}{% endfor %}"
        #expect(Self.isLimit(try Self.renderError(busy)))
    }
}
