import Hummingbird
import NextTokenOpenAIAPI

/// `POST /v1/chat/completions`, streamed or not; `n` choices are generated one after another in
/// one slot, as choices 0, 1, ….
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
        let jobs = try await services.planner.chatJobs(messages: messages, settings: settings, served: served)
        // The prompt is counted once, however many choices share it (as OpenAI bills it).
        let promptTokens = jobs[0].promptTokens.count
        context.record.update { $0.promptTokens = promptTokens }
        let ticket = try services.scheduler.admit()
        let id = ServerServices.responseID("chatcmpl")
        let created = ServerServices.unixTime
        let driver = services.driver
        let record = context.record
        let wantsLogprobs = settings.logprobs != nil

        if settings.stream {
            let includeUsage = settings.includeUsage
            let body = ResponseBody { [request, jobs] writer in
                try await streamReportingErrors(&writer, record: record) { writer in
                    try await request.body.consumeWithCancellationOnInboundClose { _ in
                        try await ticket.acquire()
                        defer { ticket.release() }
                        func chunk(_ index: Int, _ delta: ChatCompletionChunk.Delta, _ logprobs: [TokenLogprobEntry],
                                   _ finish: FinishReason?) -> ChatCompletionChunk {
                            ChatCompletionChunk(id: id, created: created, model: served.id, choices: [
                                .init(index: index, delta: delta, logprobs: wantsLogprobs ? ChatLogprobs(logprobs) : nil,
                                      finishReason: finish),
                            ])
                        }
                        var completionTokens = 0
                        for (index, job) in jobs.enumerated() {
                            try await writer.writeEvent(chunk(index, .init(role: "assistant", content: ""), [], nil))
                            let result = try await driver.run(job, record: record, arrival: arrival) { delta, logprobs in
                                try await writer.writeEvent(chunk(index, .init(content: delta), logprobs, nil))
                            }
                            completionTokens += result.summary.tokens.count
                            try await writer.writeEvent(chunk(index, .init(), result.trailingLogprobs, result.finishReason))
                        }
                        if includeUsage {
                            try await writer.writeEvent(ChatCompletionChunk(
                                id: id, created: created, model: served.id, choices: [],
                                usage: Usage(promptTokens: promptTokens, completionTokens: completionTokens)))
                        }
                        try await writer.writeDone()
                    }
                }
            }
            return Response(status: .ok, headers: ServerServices.streamHeaders, body: body)
        }

        let results = try await request.body.consumeWithCancellationOnInboundClose { _ in
            try await ticket.acquire()
            defer { ticket.release() }
            return try await driver.runCollecting(jobs, record: record, arrival: arrival)
        }
        let completionTokens = results.reduce(0) { $0 + $1.0.summary.tokens.count }
        var response = try JSONResponse.ok(ChatCompletion(
            id: id, created: created, model: served.id,
            choices: results.enumerated().map { index, choice in
                .init(index: index, message: .init(content: choice.0.summary.text),
                      logprobs: wantsLogprobs ? ChatLogprobs(choice.1) : nil, finishReason: choice.0.finishReason)
            },
            usage: Usage(promptTokens: promptTokens, completionTokens: completionTokens)))
        response.headers[.connection] = "close"
        return response
    }
}
