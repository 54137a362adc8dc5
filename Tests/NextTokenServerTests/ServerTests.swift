import Testing

/// Every suite of the server tests, run one after another: they start servers and measure
/// latencies, which concurrent suites would distort.
@Suite("Server", .serialized)
struct ServerTests {}
