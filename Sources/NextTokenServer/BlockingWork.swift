import Foundation

/// Runs CPU-heavy synchronous work (tokenizing a long prompt) on a thread of its own, so the
/// few threads of Swift's cooperative pool keep serving other requests.
enum BlockingWork {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try work() })
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
