/// One generated token's log-probability with its alternatives, in the server-neutral form the
/// response types are built from.
public struct TokenLogprobEntry: Sendable, Equatable {
    /// A token's bytes and log-probability.
    public struct Alternative: Sendable, Equatable {
        /// The token's bytes (not always valid UTF-8 on their own).
        public var bytes: [UInt8]
        /// Natural log of its probability (`-infinity` for impossible tokens).
        public var logprob: Double

        public init(bytes: [UInt8], logprob: Double) {
            self.bytes = bytes
            self.logprob = logprob
        }

        /// The bytes as text, U+FFFD replacing invalid UTF-8.
        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// The generated token.
    public var token: Alternative
    /// The most likely tokens, most likely first.
    public var top: [Alternative]

    public init(token: Alternative, top: [Alternative]) {
        self.token = token
        self.top = top
    }

    /// JSON has no infinities: OpenAI writes impossible tokens' log-probability as -9999.
    static func finite(_ logprob: Double) -> Double {
        logprob.isFinite ? max(logprob, -9999) : -9999
    }
}
