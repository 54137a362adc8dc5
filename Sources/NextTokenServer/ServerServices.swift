import Foundation
import Hummingbird
import NextTokenOpenAIAPI

/// What every route shares: the models, the planner, the slots, the engine driver, the body
/// reader and the metrics.
struct ServerServices: Sendable {
    let registry: ModelRegistry
    let planner: GenerationPlanner
    let scheduler: SlotScheduler
    let driver: GenerationDriver
    let reader: JSONRequestReader
    let metrics: ServerMetrics

    /// A fresh response id with `prefix` (`chatcmpl`, `cmpl`).
    static func responseID(_ prefix: String) -> String {
        prefix + "-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// Now, in Unix seconds.
    static var unixTime: Int { Int(Date().timeIntervalSince1970) }

    /// Headers of a server-sent-event stream. The connection closes after it: the server reads
    /// the connection while streaming to notice a client that leaves.
    static let streamHeaders: HTTPFields = [
        .contentType: ServerSentEvents.contentType, .cacheControl: "no-cache", .connection: "close",
    ]
}

extension ResponseBodyWriter {
    /// Writes one server-sent event carrying `value` as JSON.
    mutating func writeEvent(_ value: some Encodable) async throws {
        try await write(ByteBuffer(bytes: ServerSentEvents.event(value)))
    }

    /// Writes `data: [DONE]`.
    mutating func writeDone() async throws {
        try await write(ByteBuffer(bytes: ServerSentEvents.done))
    }
}

/// Runs `operation` (which writes a stream) and turns an API error it throws after the status line
/// went out into an error event, as OpenAI streams report late errors; cancellation (a client that
/// left) is passed on.
func streamReportingErrors(
    _ writer: inout any ResponseBodyWriter, record: RequestRecord,
    _ operation: (inout any ResponseBodyWriter) async throws -> Void
) async throws {
    do {
        try await operation(&writer)
        record.update { $0.streamOutcome = "complete" }
    } catch let error as OpenAIError {
        record.update { $0.streamOutcome = "error \(error.status)" }
        try await writer.writeEvent(error.body)
    } catch {
        record.update { $0.streamOutcome = "cancelled" }
        throw error
    }
    try await writer.finish(nil)
}
