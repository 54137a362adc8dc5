import NextToken

/// Speculative decoding's counters per method, part of ``ServerMetrics``.
struct SpeculationMetrics: Sendable {
    /// One method's totals over every request that used it.
    struct Totals: Sendable {
        var requests = 0
        var steps = 0
        var drafted = 0
        var accepted = 0
        var emitted = 0
    }

    private var byMethod: [String: Totals] = [:]

    /// Adds one request's statistics under `method`.
    mutating func record(method: String, _ statistics: SpeculationStatistics) {
        byMethod[method, default: Totals()].requests += 1
        byMethod[method]?.steps += statistics.steps
        byMethod[method]?.drafted += statistics.drafted
        byMethod[method]?.accepted += statistics.accepted
        byMethod[method]?.emitted += statistics.emitted
    }

    /// The exposition lines, one series per method that was used (headers always).
    func lines() -> [String] {
        let methods = byMethod.sorted { $0.key < $1.key }
        var lines: [String] = []
        func family(_ name: String, _ type: String, _ help: String, _ value: (Totals) -> String) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (method, totals) in methods { lines.append("\(name){method=\"\(method)\"} \(value(totals))") }
        }
        family("nexttoken_speculative_requests_total", "counter", "Generations that decoded speculatively.") {
            "\($0.requests)"
        }
        family("nexttoken_speculative_steps_total", "counter", "Speculative verification forward passes.") {
            "\($0.steps)"
        }
        family("nexttoken_speculative_draft_tokens_total", "counter", "Draft tokens verified.") { "\($0.drafted)" }
        family("nexttoken_speculative_accepted_tokens_total", "counter", "Draft tokens accepted.") {
            "\($0.accepted)"
        }
        family("nexttoken_speculative_emitted_tokens_total", "counter", "Tokens committed by speculative steps.") {
            "\($0.emitted)"
        }
        family("nexttoken_speculative_acceptance_ratio", "gauge", "Accepted over verified draft tokens, overall.") {
            $0.drafted > 0 ? "\(Double($0.accepted) / Double($0.drafted))" : "0"
        }
        family("nexttoken_speculative_tokens_per_step", "gauge", "Mean tokens committed per verification step.") {
            $0.steps > 0 ? "\(Double($0.emitted) / Double($0.steps))" : "0"
        }
        return lines
    }
}
