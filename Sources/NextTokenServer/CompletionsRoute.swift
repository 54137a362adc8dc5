import Hummingbird
import NextTokenOpenAIAPI

/// `POST /v1/completions`, streamed or not; several prompts, and `n` choices for each, are
/// answered one after another in one slot, as choices 0, 1, … (prompt `p`'s choice `c` is number
/// `p × n + c`, as in OpenAI's API).
struct CompletionsRoute: Sendable {
    let services: ServerServices

    func respond(to request: Request, context: ServerRequestContext) async throws -> Response {
        let arrival = ContinuousClock.now
        var request = request
        let body = try await services.reader.decode(CompletionRequest.self, from: &request)
        let settings = try body.validatedSettings()
        let prompts = try body.validatedPrompts()
        let served = try services.registry.model(body.model)
        context.record.update { $0.model = served.id }
        var jobsByPrompt: [[GenerationJob]] = []
        for prompt in prompts {
            jobsByPrompt.append(try await services.planner.completionJobs(prompt: prompt, settings: settings, served: served))
        }
        let jobs = jobsByPrompt.flatMap { $0 }
        // Each prompt is counted once, however many choices share it (as OpenAI bills it).
        let promptTokens = jobsByPrompt.reduce(0) { $0 + $1[0].promptTokens.count }
        context.record.update { $0.promptTokens = promptTokens }
        let ticket = try services.scheduler.admit()
        let id = ServerServices.responseID("cmpl")
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
                        func chunk(_ index: Int, _ text: String, _ logprobs: [TokenLogprobEntry], offset: Int,
                                   _ finish: FinishReason?) -> TextCompletion {
                            TextCompletion(id: id, created: created, model: served.id, choices: [
                                .init(text: text, index: index,
                                      logprobs: wantsLogprobs ? CompletionLogprobs(logprobs, startingAt: offset) : nil,
                                      finishReason: finish),
                            ], usage: nil)
                        }
                        var completionTokens = 0
                        for (index, job) in jobs.enumerated() {
                            var offset = 0
                            let result = try await driver.run(job, record: record, arrival: arrival) { delta, logprobs in
                                try await writer.writeEvent(chunk(index, delta, logprobs, offset: offset, nil))
                                offset += delta.utf8.count
                            }
                            completionTokens += result.summary.tokens.count
                            try await writer.writeEvent(
                                chunk(index, "", result.trailingLogprobs, offset: offset, result.finishReason))
                        }
                        if includeUsage {
                            try await writer.writeEvent(TextCompletion(
                                id: id, created: created, model: served.id, choices: [],
                                usage: Usage(promptTokens: promptTokens, completionTokens: completionTokens)))
                        }
                        try await writer.writeDone()
                    }
                }
            }
            return Response(status: .ok, headers: ServerServices.streamHeaders, body: body)
        }

        let choices = try await request.body.consumeWithCancellationOnInboundClose { _ in
            try await ticket.acquire()
            defer { ticket.release() }
            return try await driver.runCollecting(jobs, record: record, arrival: arrival)
        }
        let completionTokens = choices.reduce(0) { $0 + $1.0.summary.tokens.count }
        var response = try JSONResponse.ok(TextCompletion(
            id: id, created: created, model: served.id,
            choices: choices.enumerated().map { index, choice in
                .init(text: choice.0.summary.text, index: index,
                      logprobs: wantsLogprobs ? CompletionLogprobs(choice.1) : nil, finishReason: choice.0.finishReason)
            },
            usage: Usage(promptTokens: promptTokens, completionTokens: completionTokens)))
        response.headers[.connection] = "close"
        return response
    }
}
