import NextTokenOpenAIAPI
@testable import NextTokenServer
import Synchronization
import Testing

@Suite("Slot scheduler (server)")
struct SlotSchedulerTests {
    @Test("admits slots + queue requests, then refuses with 429 until one is released")
    func admission() throws {
        let scheduler = SlotScheduler(slotCount: 2, queueLimit: 1)
        let tickets = try (0 ..< 3).map { _ in try scheduler.admit() }
        let error = #expect(throws: OpenAIError.self) { try scheduler.admit() }
        #expect(error?.status == 429)
        #expect(scheduler.queueDepth == 3)
        tickets[0].release()
        _ = try scheduler.admit()
    }

    @Test("waiters get slots in arrival order; release hands the slot over")
    func fifo() async throws {
        let scheduler = SlotScheduler(slotCount: 1, queueLimit: 4)
        let first = try scheduler.admit()
        try await first.acquire()
        #expect(scheduler.busySlots == 1)
        let order = OrderLog()
        var waiters: [Task<Void, any Error>] = []
        for index in 1 ... 3 {
            let ticket = try scheduler.admit()
            waiters.append(Task {
                try await ticket.acquire()
                order.append(index)
                ticket.release()
            })
            // Let this waiter enqueue before the next one.
            while scheduler.queueDepth < index { await Task.yield() }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(order.values.isEmpty)
        first.release()
        for waiter in waiters { try await waiter.value }
        #expect(order.values == [1, 2, 3])
        #expect(scheduler.busySlots == 0 && scheduler.queueDepth == 0)
    }

    @Test("a cancelled waiter leaves the queue; a dropped ticket frees its slot")
    func cancellation() async throws {
        let scheduler = SlotScheduler(slotCount: 1, queueLimit: 1)
        var holder: SlotTicket? = try scheduler.admit()
        try await holder?.acquire()
        let waiting = try scheduler.admit()
        let task = Task { try await waiting.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        waiting.release()
        #expect(scheduler.queueDepth == 0)
        holder = nil
        #expect(scheduler.busySlots == 0)
        let next = try scheduler.admit()
        try await next.acquire()
        #expect(scheduler.busySlots == 1)
        _ = holder
    }
}

/// The order in which waiters got their slot.
final class OrderLog: Sendable {
    private let storage = Mutex<[Int]>([])

    func append(_ value: Int) { storage.withLock { $0.append(value) } }
    var values: [Int] { storage.withLock { $0 } }
}
