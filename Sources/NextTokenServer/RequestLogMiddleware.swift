import Hummingbird
import Logging
import NextTokenOpenAIAPI

/// The outermost middleware: turns every error into an OpenAI-shaped response, counts the
/// request in the metrics, and logs one line per request once its body is fully written
/// (for streams, when the stream ends).
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    let metrics: ServerMetrics
    let logger: Logger
    let retryAfterSeconds: Int

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = OpenAIError.from(error, request: request).response(retryAfterSeconds: retryAfterSeconds)
        }
        let body = response.body
        let line = LogLine(
            id: context.id, method: request.method.rawValue, path: request.uri.path, status: response.status.code,
            record: context.record, start: start)
        let metrics = self.metrics
        let logger = self.logger
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            do {
                try await body.write(writer)
            } catch {
                line.emit(to: logger, metrics: metrics, writeError: error)
                throw error
            }
            line.emit(to: logger, metrics: metrics, writeError: nil)
        }
        return response
    }
}

/// The facts of one request known when its response starts.
private struct LogLine: Sendable {
    let id: String
    let method: String
    let path: String
    let status: Int
    let record: RequestRecord
    let start: ContinuousClock.Instant

    func emit(to logger: Logger, metrics: ServerMetrics, writeError: (any Error)?) {
        metrics.recordRequest(path: path, status: status)
        let fields = record.snapshot
        var parts = ["request id=\(id)", "\(method) \(path)", "status=\(status)"]
        if let model = fields.model { parts.append("model=\(model)") }
        if let prompt = fields.promptTokens { parts.append("prompt_tokens=\(prompt)") }
        if let completion = fields.completionTokens { parts.append("completion_tokens=\(completion)") }
        if let ttft = fields.timeToFirstToken { parts.append("ttft_ms=\(Self.milliseconds(ttft))") }
        parts.append("total_ms=\(Self.milliseconds(ContinuousClock.now - start))")
        if let finish = fields.finishReason { parts.append("finish=\(finish)") }
        if let outcome = fields.streamOutcome { parts.append("stream=\(outcome)") }
        if writeError != nil { parts.append("client_gone=true") }
        logger.info("\(parts.joined(separator: " "))")
    }

    static func milliseconds(_ duration: Duration) -> String {
        let value = duration.seconds * 1000
        return String(Double(Int(value * 10)) / 10)
    }
}
