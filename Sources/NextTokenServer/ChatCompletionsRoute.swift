import Hummingbird
import NextTokenOpenAIAPI

/// `POST /v1/chat/completions`, streamed or not.
struct ChatCompletionsRoute: Sendable {
    let services: ServerServices

    func respond(to request: Request, context: ServerRequestContext) async throws -> Response {
        let arrival = ContinuousClock.now
        var request = request
        let body = try await services.reader.decode(ChatCompletionRequest.self, from: &request)
        let settings = try body.validatedSettings()
        let messages = try body.validatedMessages()
        let served = try services.registry.model(body.model)
        context.record.update { $0.model = served.id }
        let job = try await services.planner.chatJob(messages: messages, settings: settings, served: served)
        context.record.update { $0.promptTokens = job.promptTokens.count }
        let ticket = try services.scheduler.admit()
        let id = ServerServices.responseID("chatcmpl")
        let created = ServerServices.unixTime
        let driver = services.driver
        let record = context.record
        let wantsLogprobs = settings.logprobs != nil

        if settings.stream {
            let includeUsage = settings.includeUsage
            let body = ResponseBody { [request] writer in
                try await streamReportingErrors(&writer, record: record) { writer in
                    try await request.body.consumeWithCancellationOnInboundClose { _ in
                        try await ticket.acquire()
                        defer { ticket.release() }
                        func chunk(_ delta: ChatCompletionChunk.Delta, _ logprobs: [TokenLogprobEntry],
                                   _ finish: FinishReason?) -> ChatCompletionChunk {
                            ChatCompletionChunk(id: id, created: created, model: served.id, choices: [
                                .init(index: 0, delta: delta, logprobs: wantsLogprobs ? ChatLogprobs(logprobs) : nil,
                                      finishReason: finish),
                            ])
                        }
                        try await writer.writeEvent(chunk(.init(role: "assistant", content: ""), [], nil))
                        let result = try await driver.run(job, record: record, arrival: arrival) { delta, logprobs in
                            try await writer.writeEvent(chunk(.init(content: delta), logprobs, nil))
                        }
                        try await writer.writeEvent(chunk(.init(), result.trailingLogprobs, result.finishReason))
                        if includeUsage {
                            try await writer.writeEvent(ChatCompletionChunk(
                                id: id, created: created, model: served.id, choices: [],
                                usage: Usage(promptTokens: result.summary.promptTokens.count,
                                             completionTokens: result.summary.tokens.count)))
                        }
                        try await writer.writeDone()
                    }
                }
            }
            return Response(status: .ok, headers: ServerServices.streamHeaders, body: body)
        }

        let (result, logprobs) = try await request.body.consumeWithCancellationOnInboundClose { _ in
            try await ticket.acquire()
            defer { ticket.release() }
            var logprobs: [TokenLogprobEntry] = []
            let result = try await driver.run(job, record: record, arrival: arrival) { _, entries in
                logprobs += entries
            }
            return (result, logprobs + result.trailingLogprobs)
        }
        var response = try JSONResponse.ok(ChatCompletion(
            id: id, created: created, model: served.id,
            choices: [.init(index: 0, message: .init(content: result.summary.text),
                            logprobs: wantsLogprobs ? ChatLogprobs(logprobs) : nil,
                            finishReason: result.finishReason)],
            usage: Usage(promptTokens: result.summary.promptTokens.count, completionTokens: result.summary.tokens.count)))
        response.headers[.connection] = "close"
        return response
    }
}
