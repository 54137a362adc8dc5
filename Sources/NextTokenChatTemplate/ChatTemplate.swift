import Foundation

/// A chat template (the Jinja source GGUF files carry as `tokenizer.chat_template`), compiled once and
/// rendered for any conversation.
///
/// Rendering follows Hugging Face transformers: jinja2 with `trim_blocks` and `lstrip_blocks`, the loop
/// controls extension, `raise_exception`, `strftime_now`, `namespace`, and a `tojson` that keeps key order and
/// does not escape HTML. Values behave as in Python (see ``TemplateValue``).
///
/// ```swift
/// let template = try ChatTemplate(source: "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}")
/// let prompt = try template.render(messages: [ChatMessage.user("Hi!")], addGenerationPrompt: true,
///                                  bosToken: "<s>", eosToken: "</s>")   // "<|user|>Hi!"
/// ```
public struct ChatTemplate: Sendable {
    /// The template text.
    public let source: String
    private let body: [TemplateStatement]

    /// Compiles `source`.
    /// - Throws: ``ChatTemplateError/syntax(_:at:)`` for malformed templates (with jinja2's message),
    ///   ``ChatTemplateError/unsupported(_:at:)`` for Jinja features this renderer lacks, and
    ///   ``ChatTemplateError/limitExceeded(_:at:)`` for nesting deeper than 256 levels.
    public init(source: String) throws(ChatTemplateError) {
        var lexer = TemplateLexer(source: source)
        var parser = TemplateParser(tokens: lexer.tokenize())
        body = try parser.parseTemplate()
        self.source = source
    }

    /// Renders a conversation with the variables transformers passes: `messages`, `add_generation_prompt`,
    /// `bos_token`, `eos_token`, `tools` (`None` when not given), `documents` (`None`) and the `extra` ones.
    /// - Throws: ``ChatTemplateError/raised(_:at:)`` when the template calls `raise_exception`, and the other
    ///   render-time cases (undefined values used, type errors, limits).
    public func render(
        messages: [TemplateValue], addGenerationPrompt: Bool, bosToken: String, eosToken: String,
        tools: TemplateValue? = nil, extra: [String: TemplateValue] = [:]
    ) throws(ChatTemplateError) -> String {
        var context: [String: TemplateValue] = [
            "messages": .array(messages), "add_generation_prompt": .bool(addGenerationPrompt),
            "bos_token": .string(bosToken), "eos_token": .string(eosToken), "tools": tools ?? .none,
            "documents": .none,
        ]
        context.merge(extra) { _, new in new }
        return try render(context: context)
    }

    /// Renders plain role/content messages, as the `TemplateValue` variant does.
    public func render(
        messages: [ChatMessage], addGenerationPrompt: Bool, bosToken: String, eosToken: String,
        tools: TemplateValue? = nil, extra: [String: TemplateValue] = [:]
    ) throws(ChatTemplateError) -> String {
        try render(messages: messages.map(\.templateValue), addGenerationPrompt: addGenerationPrompt,
                   bosToken: bosToken, eosToken: eosToken, tools: tools, extra: extra)
    }

    /// Renders with exactly the variables in `context` (plus the global functions).
    public func render(context: [String: TemplateValue]) throws(ChatTemplateError) -> String {
        try render(context: context, now: Date())
    }

    /// Renders with `now` as the time `strftime_now` sees (in the local time zone).
    public func render(context: [String: TemplateValue], now: Date) throws(ChatTemplateError) -> String {
        let globals = TemplateScope(parent: nil)
        for name in TemplateGlobals.names { globals.set(name, .callable(TemplateCallable(.global(name)))) }
        for (name, value) in context { globals.set(name, value) }
        let renderer = TemplateRenderer(now: now)
        _ = try renderer.render(body, in: TemplateScope(parent: globals))
        return renderer.output
    }
}

/// A message with a role and text content, the common case of what chat templates render.
public struct ChatMessage: Sendable, Equatable {
    /// `system`, `user`, `assistant`, `tool`, ...
    public var role: String
    /// The message text.
    public var content: String

    /// A message from `role`.
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: "system", content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: "user", content: content) }
    /// An assistant message.
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: "assistant", content: content) }

    /// `{"role": role, "content": content}`.
    public var templateValue: TemplateValue { .object(["role": .string(role), "content": .string(content)]) }
}
