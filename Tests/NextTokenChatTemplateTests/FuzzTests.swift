import NextTokenChatTemplate
import NextTokenTestSupport
import Testing

/// Random templates must compile and render, or throw ``ChatTemplateError`` with a position inside the source;
/// they must never trap, hang or exhaust the stack.
@Suite("Random token soups")
struct FuzzTests {
    static let fragments = [
        "{{", "}}", "{%", "%}", "{#", "#}", "{{-", "-}}", "{%-", "-%}", "{%+", "+%}", " ", " ", " ", "\n", "\t",
        "if", "elif", "else", "endif", "for", "in", "endfor", "set", "endset", "macro", "endmacro", "call",
        "endcall", "filter", "endfilter", "with", "endwith", "raw", "endraw", "break", "continue", "generation",
        "x", "y", "messages", "message", "loop", "loop.index", "loop.last", "ns", "ns.n", "namespace(n=0)",
        "range(3)", "raise_exception('boom')", "content", "role", "'a'", "\"b\"", "'it\\'s'", "''", "1", "0", "2.5",
        "-1", "1e3", "true", "none", "(", ")", "[", "]", "{", "}", "|", "trim", "length", "tojson", "join(',')",
        "default('d')", "upper", "first", "last", "items", "map(attribute='role')", "is", "not", "defined",
        "string", "none", "and", "or", "~", "+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", ">=", ",",
        ":", ".", "=", "[1:]", "[::-1]", "[0]", "['role']", ".strip()", ".split()", "é", "👋🏽", "e\u{301}", "\\",
        "'", "\"", "?", "text", "<|im_start|>", "caller()", "varargs", "kwargs", "*", "**",
    ]

    static let context: [String: TemplateValue] = [
        "messages": [["role": "system", "content": "Be brief."], ["role": "user", "content": "Hi 👋"]],
        "add_generation_prompt": true, "bos_token": "<s>", "eos_token": "</s>", "tools": nil,
    ]

    /// Renders `source`; returns whether it rendered (as opposed to throwing).
    @discardableResult
    static func check(_ source: String) -> Bool {
        let lineCount = source.split(separator: "\n", omittingEmptySubsequences: false).count
        do {
            let template = try ChatTemplate(source: source)
            let output = try template.render(context: context)
            #expect(output.utf8.count <= 16 << 20)
            return true
        } catch {
            #expect(error.location.line >= 1 && error.location.line <= lineCount + 1, "\(error) in \(source)")
            #expect(error.location.column >= 1, "\(error) in \(source)")
            return false
        }
    }

    @Test("2,000 soups of template syntax fragments render or throw ChatTemplateError")
    func tokenSoups() {
        var random = SeededGenerator(seed: 20_250_601)
        var rendered = 0
        for _ in 0..<2_000 {
            let count = Int.random(in: 1...40, using: &random)
            let source = (0..<count).map { _ in Self.fragments.randomElement(using: &random) ?? "" }.joined()
            if Self.check(source) { rendered += 1 }
        }
        print("token soups: \(rendered) of 2000 rendered")
        #expect(rendered > 100)
    }

    @Test("500 mutations of the conformance templates render or throw ChatTemplateError")
    func mutatedTemplates() throws {
        let names = ["chatml_default_system", "deepseek_namespace", "filters_literals", "loop_attributes",
                     "macro_turns", "qwen_tools", "value_printing", "whitespace_control"]
        let sources = try names.map { try Array(ConformanceData.templateSource($0).unicodeScalars) }
        var random = SeededGenerator(seed: 7)
        var rendered = 0
        for _ in 0..<500 {
            var scalars = sources.randomElement(using: &random) ?? []
            for _ in 0..<Int.random(in: 1...4, using: &random) where !scalars.isEmpty {
                let position = Int.random(in: 0..<scalars.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: scalars.remove(at: position)
                case 1: scalars.insert(contentsOf: (Self.fragments.randomElement(using: &random) ?? "").unicodeScalars, at: position)
                default: scalars.removeSubrange(position..<min(scalars.count, position + Int.random(in: 1...12, using: &random)))
                }
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            if Self.check(String(view)) { rendered += 1 }
        }
        print("mutations: \(rendered) of 500 rendered")
        #expect(rendered > 50)
    }
}
