import NextTokenOpenAIAPI
import Synchronization

/// Hands out the server's decoding slots: at most `slotCount` requests generate at once, at most
/// `queueLimit` more wait in arrival order, and any further request is refused (429).
///
/// A request is first admitted (``admit()``), which reserves its place, then waits for a slot
/// (``SlotTicket/acquire()``); releasing the ticket (or dropping it) frees both at once.
/// With continuous batching, the requests holding slots decode together in their model's
/// `BatchedDecoder`: the slots bound how many rows a step carries.
final class SlotScheduler: Sendable {
    private struct State {
        var nextID: UInt64 = 0
        var admitted: Set<UInt64> = []
        var holding: Set<UInt64> = []
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        var cancelledWaits: Set<UInt64> = []
    }

    /// Slots that decode concurrently.
    let slotCount: Int
    /// Requests that may wait for a slot.
    let queueLimit: Int
    private let state = Mutex(State())

    init(slotCount: Int, queueLimit: Int) {
        self.slotCount = slotCount
        self.queueLimit = queueLimit
    }

    /// Slots generating now.
    var busySlots: Int { state.withLock { $0.holding.count } }
    /// Admitted requests without a slot yet.
    var queueDepth: Int { state.withLock { $0.admitted.count - $0.holding.count } }

    /// Reserves a place for one request.
    /// - Throws: ``OpenAIError/queueFull(queueLength:)`` when every slot and queue place is taken.
    func admit() throws(OpenAIError) -> SlotTicket {
        let id: UInt64? = state.withLock { state in
            guard state.admitted.count < slotCount + queueLimit else { return nil }
            state.nextID += 1
            state.admitted.insert(state.nextID)
            return state.nextID
        }
        guard let id else { throw .queueFull(queueLength: queueLimit) }
        return SlotTicket(id: id, scheduler: self)
    }

    /// Waits until ticket `id` holds a slot; the first waiter is served first.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    fileprivate func acquire(_ id: UInt64) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case granted, cancelled, waiting }
                let outcome: Outcome = state.withLock { state in
                    if state.cancelledWaits.remove(id) != nil { return .cancelled }
                    guard state.admitted.contains(id) else { return .cancelled }
                    if state.holding.contains(id) { return .granted }
                    if state.holding.count < slotCount && state.waiters.isEmpty {
                        state.holding.insert(id)
                        return .granted
                    }
                    state.waiters.append((id, continuation))
                    return .waiting
                }
                switch outcome {
                case .granted: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .waiting: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                    if !state.holding.contains(id) { state.cancelledWaits.insert(id) }
                    return nil
                }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Frees ticket `id`'s slot or queue place (idempotent) and hands the slot to the next waiter.
    fileprivate func release(_ id: UInt64) {
        typealias Continuation = CheckedContinuation<Void, any Error>
        let (next, orphan) = state.withLock { state -> (Continuation?, Continuation?) in
            state.cancelledWaits.remove(id)
            state.admitted.remove(id)
            // A ticket released while its owner still waits: wake the owner with an error.
            let orphan = state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0).continuation }
            guard state.holding.remove(id) != nil, !state.waiters.isEmpty else { return (nil, orphan) }
            let waiter = state.waiters.removeFirst()
            state.holding.insert(waiter.id)
            return (waiter.continuation, orphan)
        }
        orphan?.resume(throwing: CancellationError())
        next?.resume()
    }
}

/// One admitted request's claim on the scheduler; releasing it (or dropping it) frees its slot or
/// queue place.
final class SlotTicket: Sendable {
    private let id: UInt64
    private let scheduler: SlotScheduler

    fileprivate init(id: UInt64, scheduler: SlotScheduler) {
        self.id = id
        self.scheduler = scheduler
    }

    deinit { scheduler.release(id) }

    /// Waits for a slot.
    /// - Throws: `CancellationError` when the task is cancelled first.
    func acquire() async throws { try await scheduler.acquire(id) }

    /// Frees the slot or queue place now.
    func release() { scheduler.release(id) }
}
