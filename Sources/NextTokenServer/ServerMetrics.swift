import NextToken
import Synchronization

/// The server's counters, rendered in the Prometheus text format by `GET /metrics`.
final class ServerMetrics: Sendable {
    /// A request's endpoint and final status.
    struct RequestKey: Hashable, Comparable {
        let endpoint: String
        let status: Int

        static func < (lhs: RequestKey, rhs: RequestKey) -> Bool {
            (lhs.endpoint, lhs.status) < (rhs.endpoint, rhs.status)
        }
    }

    private struct State {
        var requests: [RequestKey: Int] = [:]
        var promptTokens = 0
        var completionTokens = 0
        var timeToFirstToken = PrometheusHistogram(
            bounds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30])
        var timePerOutputToken = PrometheusHistogram(
            bounds: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28])
        var speculation = SpeculationMetrics()
    }

    /// The paths counted by name; any other path is counted as `other`.
    static let knownEndpoints: Set<String> = [
        "/v1/chat/completions", "/v1/completions", "/v1/models", "/health", "/metrics",
    ]

    private let state = Mutex(State())

    /// Counts one answered request.
    func recordRequest(path: String, status: Int) {
        let endpoint = Self.knownEndpoints.contains(path) ? path : "other"
        state.withLock { $0.requests[RequestKey(endpoint: endpoint, status: status), default: 0] += 1 }
    }

    /// Counts one finished generation: its tokens, the time to its first token, the mean
    /// time per generated token, and what speculative decoding did (under `method`) when it was on.
    func recordGeneration(
        promptTokens: Int, completionTokens: Int, timeToFirstToken: Duration?, timePerOutputToken: Duration?,
        speculation: (method: String, statistics: SpeculationStatistics)?
    ) {
        state.withLock { state in
            state.promptTokens += promptTokens
            state.completionTokens += completionTokens
            if let timeToFirstToken { state.timeToFirstToken.observe(timeToFirstToken.seconds) }
            if let timePerOutputToken { state.timePerOutputToken.observe(timePerOutputToken.seconds) }
            if let speculation { state.speculation.record(method: speculation.method, speculation.statistics) }
        }
    }

    /// The exposition text, with the scheduler's current queue depth and busy slots, and the
    /// batching loops' passes.
    func render(scheduler: SlotScheduler, batchers: [String: BatchedDecoder]) -> String {
        let snapshot = state.withLock { $0 }
        var lines: [String] = []
        func header(_ name: String, _ type: String, _ help: String) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
        }
        header("nexttoken_requests_total", "counter", "HTTP requests answered, by endpoint and status.")
        for (key, count) in snapshot.requests.sorted(by: { $0.key < $1.key }) {
            lines.append("nexttoken_requests_total{endpoint=\"\(key.endpoint)\",status=\"\(key.status)\"} \(count)")
        }
        header("nexttoken_prompt_tokens_total", "counter", "Prompt tokens fed to the model.")
        lines.append("nexttoken_prompt_tokens_total \(snapshot.promptTokens)")
        header("nexttoken_completion_tokens_total", "counter", "Tokens generated.")
        lines.append("nexttoken_completion_tokens_total \(snapshot.completionTokens)")
        header("nexttoken_queue_depth", "gauge", "Admitted requests waiting for a slot.")
        lines.append("nexttoken_queue_depth \(scheduler.queueDepth)")
        header("nexttoken_busy_slots", "gauge", "Slots generating now.")
        lines.append("nexttoken_busy_slots \(scheduler.busySlots)")
        header("nexttoken_slots", "gauge", "Slots in total.")
        lines.append("nexttoken_slots \(scheduler.slotCount)")
        header("nexttoken_time_to_first_token_seconds", "histogram",
               "Time from a request's arrival to its first generated token.")
        lines += snapshot.timeToFirstToken.lines(name: "nexttoken_time_to_first_token_seconds")
        header("nexttoken_time_per_output_token_seconds", "histogram",
               "Mean time per generated token after the first, one observation per request.")
        lines += snapshot.timePerOutputToken.lines(name: "nexttoken_time_per_output_token_seconds")
        lines += snapshot.speculation.lines()
        let loops = batchers.sorted { $0.key < $1.key }.map { ($0.key, $0.value.passStatistics) }
        header("nexttoken_batch_forward_passes_total", "counter", "Forward passes of the continuous-batching loop.")
        for (model, statistics) in loops { lines.append("nexttoken_batch_forward_passes_total{model=\"\(model)\"} \(statistics.passes)") }
        header("nexttoken_batch_rows_total", "counter", "Rows (tokens of every request) those passes carried.")
        for (model, statistics) in loops { lines.append("nexttoken_batch_rows_total{model=\"\(model)\"} \(statistics.rows)") }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
