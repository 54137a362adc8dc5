import NextTokenChatTemplate
import Testing

@Suite("Malformed templates fail to compile with jinja2's position and message")
struct MalformedTemplateTests {
    static let cases: [ConformanceData.Malformed] = (try? ConformanceData.malformed()) ?? []

    @Test("each malformed template is a syntax error at jinja2's line, the token's column, with jinja2's message",
          arguments: cases)
    func positionedError(_ malformed: ConformanceData.Malformed) {
        do {
            _ = try ChatTemplate(source: malformed.template)
            Issue.record("\(malformed.name) compiled")
        } catch {
            guard case .syntax(let message, let location) = error else {
                Issue.record("\(malformed.name): not a syntax error: \(error)")
                return
            }
            #expect(location == TemplateSourceLocation(line: malformed.line, column: malformed.column), "\(malformed.name)")
            #expect(message == malformed.message, "\(malformed.name)")
        }
    }

    @Test("jinja2 filters and tags this renderer lacks are 'unsupported', not syntax errors")
    func unsupportedFeatures() {
        let sources = [
            "{{ x | wordwrap(5) }}", "{% include 'other.jinja' %}", "{% extends 'base' %}",
            "{% for x in y recursive %}{% endfor %}", "{{ 'a' | urlencode }}",
        ]
        for source in sources {
            do {
                _ = try ChatTemplate(source: source)
                Issue.record("compiled: \(source)")
            } catch {
                guard case .unsupported = error else { Issue.record("\(source): \(error)"); continue }
            }
        }
    }

    @Test("more syntax errors carry a position", arguments: [
        ("{% if x %}", 1, 11), ("{{ x | }}", 1, 8), ("{% set %}", 1, 8), ("{{ 'a' 'b }}", 1, 8),
        ("line\n{{ 1 +* 2 }}", 2, 7), ("{% macro m(a=1, b) %}{% endmacro %}", 1, 18), ("{% break %}", 1, 4),
        ("{{ x is nosuchtest }}", 1, 9), ("{% endraw %}", 1, 4), ("{% raw %}never closed", 1, 1),
        ("{{ (1, 2 }}", 1, 10), ("{{ [1, 2 }}", 1, 10),
    ])
    func otherSyntaxErrors(_ source: String, _ line: Int, _ column: Int) {
        do {
            _ = try ChatTemplate(source: source)
            Issue.record("compiled: \(source)")
        } catch {
            guard case .syntax = error else { Issue.record("\(source): \(error)"); return }
            #expect(error.location == TemplateSourceLocation(line: line, column: column), "\(source): \(error)")
        }
    }
}
