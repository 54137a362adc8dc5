import Synchronization

/// What the log line of one request reports, filled in by the handler as the request proceeds.
final class RequestRecord: Sendable {
    /// The fields, all optional until known.
    struct Fields: Sendable {
        var model: String?
        var promptTokens: Int?
        var completionTokens: Int?
        var timeToFirstToken: Duration?
        var finishReason: String?
        /// For streams, whose status line went out before the outcome was known.
        var streamOutcome: String?
    }

    private let fields = Mutex(Fields())

    /// Changes some fields.
    func update(_ change: (inout Fields) -> Void) {
        fields.withLock { change(&$0) }
    }

    /// The fields now.
    var snapshot: Fields { fields.withLock { $0 } }
}
